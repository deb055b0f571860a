package dev.courier.bench.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerUnderTestTest {

  @Test
  void noConfiguredJvmOptionsAddNone() {
    assertThat(ServerUnderTest.extraJvmOptions(null)).isEmpty();
    assertThat(ServerUnderTest.extraJvmOptions("  \t ")).isEmpty();
  }

  @Test
  void configuredJvmOptionsAreSplitOnAnyWhitespace() {
    assertThat(
            ServerUnderTest.extraJvmOptions(
                " -XX:+UseParallelGC\t-XX:StartFlightRecording=filename=/tmp/a.jfr  -Xmx2g "))
        .containsExactly(
            "-XX:+UseParallelGC", "-XX:StartFlightRecording=filename=/tmp/a.jfr", "-Xmx2g");
  }
}
