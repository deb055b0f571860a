package dev.courier.server.config;

import dev.courier.server.store.DatabaseOptions.SqliteSynchronous;
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
    RateLimitSettings rateLimits) {

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
    adminPassword.ifPresent(
        password -> {
          if (password.length() < 12) {
            throw new ConfigException("admin-password: must be at least 12 characters long");
          }
        });
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
