package dev.courier.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyedRateLimiterTest {

  private final MutableClock clock = MutableClock.at(Instant.parse("2025-03-01T10:00:00Z"));

  private KeyedRateLimiter limiter(RateLimit limit, int maxKeys) {
    return new KeyedRateLimiter("test", limit, maxKeys, clock);
  }

  private static int grantedOf(KeyedRateLimiter limiter, String key, int attempts) {
    int granted = 0;
    for (int i = 0; i < attempts; i++) {
      if (limiter.tryAcquire(key).granted()) {
        granted++;
      }
    }
    return granted;
  }

  @Test
  void a_key_gets_its_burst_and_then_is_refused_with_the_time_until_the_next_permit() {
    KeyedRateLimiter limiter = limiter(new RateLimit(60, Duration.ofMinutes(1), 5), 100);

    assertThat(grantedOf(limiter, "tenant-a", 5)).isEqualTo(5);
    Decision refused = limiter.tryAcquire("tenant-a");

    assertThat(refused.granted()).isFalse();
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void retry_after_is_rounded_up_to_whole_seconds_and_is_at_least_one() {
    KeyedRateLimiter limiter = limiter(RateLimit.of(10, Duration.ofMinutes(5)), 100);
    grantedOf(limiter, "alice", 10);

    clock.advance(Duration.ofMillis(10_500));
    assertThat(limiter.tryAcquire("alice").retryAfter()).isEqualTo(Duration.ofSeconds(20));
    clock.advance(Duration.ofMillis(19_400));
    assertThat(limiter.tryAcquire("alice").retryAfter()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void permits_come_back_at_the_configured_rate_and_all_of_them_after_the_window() {
    KeyedRateLimiter limiter = limiter(RateLimit.of(10, Duration.ofMinutes(5)), 100);
    assertThat(grantedOf(limiter, "alice", 20)).isEqualTo(10);

    clock.advance(Duration.ofSeconds(29));
    assertThat(limiter.tryAcquire("alice").granted()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryAcquire("alice").granted()).isTrue();
    assertThat(limiter.tryAcquire("alice").granted()).isFalse();

    clock.advance(Duration.ofMinutes(5));
    assertThat(grantedOf(limiter, "alice", 20)).isEqualTo(10);
  }

  @Test
  void keys_have_separate_buckets() {
    KeyedRateLimiter limiter = limiter(RateLimit.of(3, Duration.ofHours(1)), 100);
    assertThat(grantedOf(limiter, "tenant-a", 10)).isEqualTo(3);

    assertThat(grantedOf(limiter, "tenant-b", 10)).isEqualTo(3);
  }

  @Test
  void a_released_permit_can_be_taken_again_but_never_beyond_the_burst() {
    KeyedRateLimiter limiter = limiter(RateLimit.of(3, Duration.ofHours(1)), 100);
    assertThat(grantedOf(limiter, "alice", 3)).isEqualTo(3);

    limiter.release("alice");
    assertThat(grantedOf(limiter, "alice", 3)).isEqualTo(1);

    limiter.release("bob");
    limiter.release("bob");
    assertThat(grantedOf(limiter, "bob", 10)).isEqualTo(3);
  }

  @Test
  void a_limit_of_zero_lets_everything_through_and_keeps_no_buckets() {
    KeyedRateLimiter limiter = limiter(RateLimit.off(), 100);

    assertThat(grantedOf(limiter, "tenant-a", 10_000)).isEqualTo(10_000);
    assertThat(limiter.trackedKeys()).isZero();
  }

  @Test
  void the_number_of_keys_stays_bounded_however_many_distinct_keys_arrive() {
    KeyedRateLimiter limiter = limiter(RateLimit.of(5, Duration.ofMinutes(5)), 1_000);

    for (int i = 0; i < 50_000; i++) {
      limiter.tryAcquire("user-" + i);
    }

    assertThat(limiter.trackedKeys()).isBetween(1, 1_000);
  }

  @Test
  void when_full_the_refilled_buckets_are_dropped_before_any_that_still_limit() {
    KeyedRateLimiter limiter = limiter(RateLimit.of(10, Duration.ofMinutes(1)), 100);
    // "target" is used up; 99 others took one permit each and are full again 6 s later.
    assertThat(grantedOf(limiter, "target", 10)).isEqualTo(10);
    for (int i = 0; i < 99; i++) {
      limiter.tryAcquire("idle-" + i);
    }
    clock.advance(Duration.ofSeconds(7));
    assertThat(limiter.tryAcquire("target").granted()).isTrue();

    limiter.tryAcquire("newcomer");

    assertThat(limiter.trackedKeys()).isEqualTo(2);
    assertThat(limiter.tryAcquire("target").granted()).as("still limited").isFalse();
  }

  @Test
  void when_every_bucket_still_limits_the_least_recently_used_are_forgotten() {
    KeyedRateLimiter limiter = limiter(RateLimit.of(1, Duration.ofHours(1)), 10);
    for (int i = 0; i < 10; i++) {
      limiter.tryAcquire("key-" + i);
    }
    limiter.tryAcquire("key-0"); // refused, but now the most recently used

    limiter.tryAcquire("key-10");

    assertThat(limiter.trackedKeys()).isEqualTo(10);
    assertThat(limiter.tryAcquire("key-0").granted()).as("recently used, kept").isFalse();
    assertThat(limiter.tryAcquire("key-1").granted()).as("least recently used, forgotten").isTrue();
  }
}
