package dev.courier.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatsTest {

  private final long self = ProcessHandle.current().pid();

  @Test
  void the_compiler_threads_of_a_running_jvm_have_used_some_cpu_and_less_than_the_whole_process() {
    double compilers = ProcStats.compilerCpuSeconds(self);
    assertThat(compilers).isPositive().isLessThanOrEqualTo(ProcStats.cpuSeconds(self));
  }
}
