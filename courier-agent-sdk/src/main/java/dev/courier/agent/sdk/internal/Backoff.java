package dev.courier.agent.sdk.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: after n consecutive failures (n = 0 right after a success)
 * the next delay is uniformly random between {@code min} and {@code min(max, min * 2^(n+1))}. Even
 * the first retry is jittered, so a fleet that lost the same server at the same instant (a server
 * restart) spreads its reconnects instead of storming back together. Not thread-safe; each loop
 * owns its own.
 */
public final class Backoff {

  private final long minNanos;
  private final long maxNanos;
  private final RandomGenerator random;
  private int failures;

  /** Backoff between {@code min} and {@code max}, drawing jitter from {@code random}. */
  public Backoff(Duration min, Duration max, RandomGenerator random) {
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.random = Objects.requireNonNull(random, "random");
    if (minNanos <= 0 || maxNanos < minNanos) {
      throw new IllegalArgumentException("need 0 < min <= max, got " + min + " and " + max);
    }
  }

  /** The delay before the next attempt; each call counts one more consecutive failure. */
  public Duration next() {
    long ceiling = ceiling(failures);
    if (failures < 62) {
      failures++;
    }
    long span = ceiling - minNanos;
    long delay = span == 0 ? minNanos : minNanos + random.nextLong(span + 1);
    return Duration.ofNanos(delay);
  }

  /** The largest delay {@link #next()} can return now. */
  public Duration currentCeiling() {
    return Duration.ofNanos(ceiling(failures));
  }

  /** Forgets past failures after a success. */
  public void reset() {
    failures = 0;
  }

  private long ceiling(int attempt) {
    // min * 2^(attempt+1), saturating at max without overflowing.
    int shift = attempt + 1;
    if (shift >= 62 || minNanos > (maxNanos >> shift)) {
      return maxNanos;
    }
    return Math.min(maxNanos, minNanos << shift);
  }
}
