package dev.courier.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class JitWarmupTest {

  /**
   * A clock that only moves when the warm-up sleeps, a little more than asked as real sleeps do,
   * and the compilers' CPU time scripted by the second.
   */
  private static Duration warmUp(
      LongUnaryOperator compileMillisAtSecond, Duration minimum, Duration maximum)
      throws InterruptedException {
    AtomicLong nanos = new AtomicLong();
    JitWarmup warmup =
        new JitWarmup(
            () -> compileMillisAtSecond.applyAsLong(nanos.get() / 1_000_000_000L),
            nanos::get,
            d -> nanos.addAndGet(d.toNanos() + 300_000));
    return warmup.await(minimum, maximum);
  }

  @Test
  void a_quiet_compiler_ends_the_warm_up_at_its_minimum() throws InterruptedException {
    Duration waited = warmUp(second -> 5_000, Duration.ofSeconds(10), Duration.ofSeconds(120));
    assertThat(waited).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(11));
  }

  @Test
  void a_busy_compiler_keeps_the_warm_up_going_until_a_whole_window_was_quiet()
      throws InterruptedException {
    // One core's worth of compilation for the first 40 s, then 20 ms a second.
    LongUnaryOperator compile = s -> s <= 40 ? s * 1_000 : 40_000 + (s - 40) * 20;
    Duration waited = warmUp(compile, Duration.ofSeconds(10), Duration.ofSeconds(120));
    assertThat(waited).isBetween(Duration.ofSeconds(45), Duration.ofSeconds(46));
  }

  @Test
  void a_compiler_that_never_settles_ends_the_warm_up_at_its_maximum() throws InterruptedException {
    Duration waited = warmUp(s -> s * 500, Duration.ofSeconds(10), Duration.ofSeconds(30));
    assertThat(waited).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(31));
  }

  @Test
  void a_tenth_of_the_window_spent_compiling_counts_as_settled() {
    assertThat(JitWarmup.quiet(500, 5_000)).isTrue();
    assertThat(JitWarmup.quiet(501, 5_000)).isFalse();
  }
}
