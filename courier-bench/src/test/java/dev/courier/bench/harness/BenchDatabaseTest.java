package dev.courier.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchDatabaseTest {

  @Test
  void a_postgresql_reached_over_loopback_runs_on_this_machine() {
    assertThat(BenchDatabase.isLoopback("jdbc:postgresql://127.0.0.1:5432/test?user=postgres"))
        .isTrue();
    assertThat(BenchDatabase.isLoopback("jdbc:postgresql://localhost/test")).isTrue();
    assertThat(BenchDatabase.isLoopback("jdbc:postgresql://[::1]:5432/test")).isTrue();
  }

  @Test
  void a_postgresql_on_another_host_does_not() {
    assertThat(BenchDatabase.isLoopback("jdbc:postgresql://db.internal:5432/test")).isFalse();
    assertThat(BenchDatabase.isLoopback("jdbc:postgresql://10.0.0.7/test?user=x")).isFalse();
  }
}
