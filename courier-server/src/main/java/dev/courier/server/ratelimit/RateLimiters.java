package dev.courier.server.ratelimit;

import dev.courier.server.config.RateLimitSettings;
import java.time.Clock;
import java.time.Duration;

/**
 * The server's limits, built from its settings: command creation per tenant and failed logins per
 * username and per address.
 */
public record RateLimiters(KeyedRateLimiter commandsPerTenant, LoginThrottle logins) {

  public static RateLimiters from(RateLimitSettings settings, Clock clock) {
    int maxKeys = settings.maxTrackedKeys();
    RateLimit commands =
        new RateLimit(settings.commandsPerMinute(), Duration.ofMinutes(1), settings.commandBurst());
    RateLimit perUser = RateLimit.of(settings.loginFailuresPerUser(), settings.loginWindow());
    RateLimit perAddress = RateLimit.of(settings.loginFailuresPerAddress(), settings.loginWindow());
    return new RateLimiters(
        new KeyedRateLimiter("commands per tenant", commands, maxKeys, clock),
        new LoginThrottle(
            new KeyedRateLimiter("login failures per user", perUser, maxKeys, clock),
            new KeyedRateLimiter("login failures per address", perAddress, maxKeys, clock)));
  }

  /** Nothing limited; for tests and tools that build services by hand. */
  public static RateLimiters unlimited(Clock clock) {
    return from(RateLimitSettings.unlimited(), clock);
  }
}
