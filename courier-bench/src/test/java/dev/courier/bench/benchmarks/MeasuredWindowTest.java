package dev.courier.bench.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MeasuredWindowTest {

  @Test
  void nothing_counts_before_the_window_opens() {
    MeasuredWindow window = new MeasuredWindow();
    long now = System.nanoTime();
    window.record(now, now + 1_000);
    assertThat(window.counted()).isZero();
    assertThat(window.running()).isTrue();
  }

  @Test
  void a_lifecycle_counts_only_if_it_started_after_the_window_opened() {
    MeasuredWindow window = new MeasuredWindow();
    long beforeOpening = System.nanoTime();
    window.open(Duration.ofHours(1));
    long inside = System.nanoTime();
    window.record(beforeOpening, inside);
    window.record(inside, inside + 2_000);
    assertThat(window.counted()).isEqualTo(1);
    assertThat(window.durations()).containsExactly(2_000L);
  }

  @Test
  void a_lifecycle_ending_after_the_window_closed_does_not_count() {
    MeasuredWindow window = new MeasuredWindow();
    window.open(Duration.ZERO);
    long t = System.nanoTime();
    window.record(t, t + Duration.ofHours(1).toNanos());
    assertThat(window.counted()).isZero();
    assertThat(window.running()).isFalse();
  }
}
