package dev.courier.server.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * One token bucket's shape: at most {@code burst} permits at once, refilled smoothly at {@code
 * permits} per {@code period} (so {@code 10} per 5 minutes gives one back every 30 seconds). Zero
 * {@code permits} turns the limit off.
 */
public record RateLimit(long permits, Duration period, long burst) {

  public RateLimit {
    Objects.requireNonNull(period, "period");
    if (permits < 0) {
      throw new IllegalArgumentException("permits must not be negative: " + permits);
    }
    if (permits > 0 && (burst < 1 || period.isNegative() || period.isZero())) {
      throw new IllegalArgumentException(
          "an enabled limit needs a burst of at least 1 and a positive period");
    }
  }

  /** {@code permits} per {@code period}, all of which may be used at once. */
  public static RateLimit of(long permits, Duration period) {
    return new RateLimit(permits, period, Math.max(1, permits));
  }

  public static RateLimit off() {
    return new RateLimit(0, Duration.ofMinutes(1), 0);
  }

  public boolean enabled() {
    return permits > 0;
  }
}
