package dev.courier.server.ratelimit;

import java.time.Duration;

/**
 * Whether a permit was taken; when not, how long until the bucket has one again (whole seconds, at
 * least one, as {@code Retry-After} wants them).
 */
public record Decision(boolean granted, Duration retryAfter) {

  static final Decision GRANTED = new Decision(true, Duration.ZERO);

  static Decision refusedFor(long nanosToWait) {
    long seconds = Math.max(1, (nanosToWait + 999_999_999L) / 1_000_000_000L);
    return new Decision(false, Duration.ofSeconds(seconds));
  }
}
