package dev.courier.server.config;

import dev.courier.server.store.DatabaseOptions.SqliteSynchronous;
import dev.courier.server.tunnel.TunnelSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** The validated settings the server starts with. Built by {@link ConfigLoader}. */
public record ServerConfig(
    String host,
    int port,
    Path dataDir,
    String dbUrl,
    Optional<String> dbUser,
    Optional<String> dbPassword,
    int dbPoolSize,
    SqliteSynchronous sqliteSynchronous,
    Optional<String> adminPassword,
    long maxBodyBytes,
    Duration shutdownTimeout,
    Duration heartbeatInterval,
    Duration pollInterval,
    Duration timeoutGrace,
    RateLimitSettings rateLimits,
    TunnelSettings tunnels) {

  public static final long MIN_BODY_BYTES = 1024;
  public static final long MAX_BODY_BYTES = 64L * 1024 * 1024;

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(dbUrl, "dbUrl");
    Objects.requireNonNull(dbUser, "dbUser");
    Objects.requireNonNull(dbPassword, "dbPassword");
    Objects.requireNonNull(sqliteSynchronous, "sqliteSynchronous");
    Objects.requireNonNull(adminPassword, "adminPassword");
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    Objects.requireNonNull(rateLimits, "rateLimits");
    Objects.requireNonNull(tunnels, "tunnels");
    if (host.isBlank()) {
      throw new ConfigException("host: must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException("port: " + port + " is not between 0 and 65535");
    }
    if (!isSqlite(dbUrl) && !isPostgres(dbUrl)) {
      throw new ConfigException(
          "db-url: '" + dbUrl + "' must start with jdbc:sqlite: or jdbc:postgresql://");
    }
    if (dbPoolSize < 1 || dbPoolSize > 200) {
      throw new ConfigException("db-pool-size: " + dbPoolSize + " is not between 1 and 200");
    }
    if (maxBodyBytes < MIN_BODY_BYTES || maxBodyBytes > MAX_BODY_BYTES) {
      throw new ConfigException(
          "max-body-bytes: "
              + maxBodyBytes
              + " is not between "
              + MIN_BODY_BYTES
              + " and "
              + MAX_BODY_BYTES);
    }
    if (shutdownTimeout.isNegative()) {
      throw new ConfigException("shutdown-timeout-seconds: must not be negative");
    }
    requireSeconds("heartbeat-seconds", heartbeatInterval, 1, 3600);
    requireSeconds("poll-interval-seconds", pollInterval, 1, 3600);
    requireSeconds("timeout-grace-seconds", timeoutGrace, 0, 3600);
    requireSeconds("tunnel-idle-timeout-seconds", tunnels.idleTimeout(), 10, 7 * 86400);
    requireSeconds("tunnel-max-duration-seconds", tunnels.maxDuration(), 60, 30 * 86400);
    requireRange("tunnel-max-sessions-per-user", tunnels.maxSessionsPerUser(), 1, 1000);
    requireRange("tunnel-commands-per-minute", tunnels.commandsPerMinute(), 0, 100_000);
    requireRange("tunnel-transcript-cap-bytes", tunnels.transcriptCap(), 0, 1L << 30);
    adminPassword.ifPresent(
        password -> {
          if (password.length() < 12) {
            throw new ConfigException("admin-password: must be at least 12 characters long");
          }
        });
  }

  /** The settings before tunnels had any: tunnels take their documented defaults. */
  public ServerConfig(
      String host,
      int port,
      Path dataDir,
      String dbUrl,
      Optional<String> dbUser,
      Optional<String> dbPassword,
      int dbPoolSize,
      SqliteSynchronous sqliteSynchronous,
      Optional<String> adminPassword,
      long maxBodyBytes,
      Duration shutdownTimeout,
      Duration heartbeatInterval,
      Duration pollInterval,
      Duration timeoutGrace,
      RateLimitSettings rateLimits) {
    this(
        host,
        port,
        dataDir,
        dbUrl,
        dbUser,
        dbPassword,
        dbPoolSize,
        sqliteSynchronous,
        adminPassword,
        maxBodyBytes,
        shutdownTimeout,
        heartbeatInterval,
        pollInterval,
        timeoutGrace,
        rateLimits,
        TunnelSettings.defaults());
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ConfigException(name + ": must be between " + min + " and " + max);
    }
  }

  private static void requireSeconds(String name, Duration value, long min, long max) {
    if (value == null || value.toSeconds() < min || value.toSeconds() > max) {
      throw new ConfigException(name + ": must be between " + min + " and " + max + " seconds");
    }
  }

  public boolean usesSqlite() {
    return isSqlite(dbUrl);
  }

  private static boolean isSqlite(String url) {
    return url.startsWith("jdbc:sqlite:");
  }

  private static boolean isPostgres(String url) {
    return url.startsWith("jdbc:postgresql://");
  }
}
