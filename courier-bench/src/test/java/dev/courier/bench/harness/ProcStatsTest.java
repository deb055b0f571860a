package dev.courier.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcStatsTest {

  private final long self = ProcessHandle.current().pid();

  @Test
  void the_compiler_threads_of_a_running_jvm_have_used_some_cpu_and_less_than_the_whole_process() {
    double compilers = ProcStats.compilerCpuSeconds(self);
    assertThat(compilers).isPositive().isLessThanOrEqualTo(ProcStats.cpuSeconds(self));
  }

  @Test
  void writing_to_a_file_counts_one_more_write_call_each_time() throws Exception {
    Path file = Files.createTempFile("proc-stats", ".txt");
    try (FileOutputStream out = new FileOutputStream(file.toFile())) {
      long before = ProcStats.writeCalls(self);
      for (int i = 0; i < 5; i++) {
        out.write('x');
      }
      // Other threads of this JVM may write too, so at least five.
      assertThat(ProcStats.writeCalls(self) - before).isGreaterThanOrEqualTo(5);
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void the_write_calls_are_read_from_the_syscw_line() {
    String io = "rchar: 10\nwchar: 20\nsyscr: 3\nsyscw: 4711\nread_bytes: 0\n";
    assertThat(ProcStats.writeCallsIn(io)).isEqualTo(4711);
  }

  @Test
  void the_cpu_of_all_processes_of_a_name_includes_their_ended_childrens() {
    String stat = "4242 (post gres) S 1 2 3 0 -1 4194560 5 6 7 8 150 50 30 20 20 0 1 0 9";
    assertThat(ProcStats.cpuSecondsWithChildrenIn(stat)).isEqualTo(2.5);
  }

  @Test
  void the_cpu_of_all_processes_named_like_this_jvm_covers_this_jvm() throws Exception {
    String comm = Files.readString(Path.of("/proc/self/comm")).strip();
    double own = ProcStats.cpuSeconds(self);
    assertThat(ProcStats.cpuSecondsOfAll(comm)).isGreaterThanOrEqualTo(own);
    assertThat(ProcStats.cpuSecondsOfAll("no-such-process-name")).isZero();
  }
}
