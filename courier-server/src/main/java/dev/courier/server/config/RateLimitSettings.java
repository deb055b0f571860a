package dev.courier.server.config;

import java.time.Duration;

/**
 * The configured rate limits, validated; {@code 0} in a per-minute or per-window figure turns that
 * limit off. The server turns these into buckets in {@code dev.courier.server.ratelimit}.
 *
 * @param commandsPerMinute commands one tenant may create per minute, sustained
 * @param commandBurst commands one tenant may create at once before the sustained rate applies
 * @param loginFailuresPerUser failed logins allowed per username within {@code loginWindow}
 * @param loginFailuresPerAddress failed logins allowed per source address within {@code
 *     loginWindow}
 * @param loginWindow how long a full login allowance takes to come back
 * @param maxTrackedKeys most tenants, usernames or addresses each limit keeps a bucket for
 */
public record RateLimitSettings(
    int commandsPerMinute,
    int commandBurst,
    int loginFailuresPerUser,
    int loginFailuresPerAddress,
    Duration loginWindow,
    int maxTrackedKeys) {

  public RateLimitSettings {
    requireBetween(Setting.RATE_COMMANDS_PER_MINUTE, commandsPerMinute, 0, 1_000_000);
    requireBetween(Setting.RATE_COMMANDS_BURST, commandBurst, 1, 1_000_000);
    requireBetween(Setting.RATE_LOGIN_FAILURES_PER_USER, loginFailuresPerUser, 0, 100_000);
    requireBetween(Setting.RATE_LOGIN_FAILURES_PER_ADDRESS, loginFailuresPerAddress, 0, 100_000);
    if (loginWindow == null
        || loginWindow.toSeconds() < 1
        || loginWindow.toSeconds() > Duration.ofDays(1).toSeconds()) {
      throw new ConfigException(
          Setting.RATE_LOGIN_WINDOW_SECONDS.fileKey() + ": must be between 1 and 86400 seconds");
    }
    requireBetween(Setting.RATE_LIMIT_MAX_KEYS, maxTrackedKeys, 100, 10_000_000);
  }

  /** The documented defaults, the same as {@link ConfigLoader} gives with nothing configured. */
  public static RateLimitSettings defaults() {
    return new RateLimitSettings(600, 100, 10, 30, Duration.ofMinutes(5), 50_000);
  }

  /** No limit at all, for benchmarks and tests that create commands in bulk. */
  public static RateLimitSettings unlimited() {
    return new RateLimitSettings(0, 1, 0, 0, Duration.ofMinutes(5), 50_000);
  }

  public RateLimitSettings withCommands(int perMinute, int burst) {
    return new RateLimitSettings(
        perMinute,
        burst,
        loginFailuresPerUser,
        loginFailuresPerAddress,
        loginWindow,
        maxTrackedKeys);
  }

  public RateLimitSettings withLoginFailures(int perUser, int perAddress, Duration window) {
    return new RateLimitSettings(
        commandsPerMinute, commandBurst, perUser, perAddress, window, maxTrackedKeys);
  }

  private static void requireBetween(Setting setting, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ConfigException(
          setting.fileKey() + ": " + value + " is not between " + min + " and " + max);
    }
  }
}
