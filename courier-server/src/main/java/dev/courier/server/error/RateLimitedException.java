package dev.courier.server.error;

import java.time.Duration;

/** The caller exceeded a rate limit; {@link #retryAfter()} says when trying again makes sense. */
public final class RateLimitedException extends CourierException {

  private final Duration retryAfter;

  public RateLimitedException(String message, Duration retryAfter) {
    super(message, null);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
