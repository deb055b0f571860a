package dev.courier.bench.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerUnderTestTest {

  @Test
  void no_configured_jvm_options_add_none_wherever_the_server_runs() {
    assertThat(ServerUnderTest.extraJvmOptions(null, true)).isEmpty();
    assertThat(ServerUnderTest.extraJvmOptions("  \t ", true)).isEmpty();
    assertThat(ServerUnderTest.extraJvmOptions(null, false)).isEmpty();
  }

  @Test
  void configured_jvm_options_are_split_on_any_whitespace() {
    assertThat(
            ServerUnderTest.extraJvmOptions(
                " -XX:+UseParallelGC\t-XX:StartFlightRecording=filename=/tmp/a.jfr  -Xmx2g ", true))
        .containsExactly(
            "-XX:+UseParallelGC", "-XX:StartFlightRecording=filename=/tmp/a.jfr", "-Xmx2g");
  }

  @Test
  void configured_jvm_options_for_a_server_in_the_bench_jvm_are_refused_not_ignored() {
    assertThatThrownBy(() -> ServerUnderTest.extraJvmOptions("-XX:+UseParallelGC", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ServerUnderTest.EXTRA_JVM_OPTIONS)
        .hasMessageContaining("--own-process");
  }
}
