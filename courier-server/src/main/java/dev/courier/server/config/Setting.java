package dev.courier.server.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Every server setting, with the three names it can be given by and its default. The configuration
 * reference (docs/configuration.md) documents exactly these; a test keeps the two in step.
 */
public enum Setting {
  HOST("host", "127.0.0.1", true, "Address the HTTP server binds to."),
  PORT("port", "8080", true, "HTTP port; 0 picks a free one."),
  DATA_DIR("data-dir", "./data", true, "Folder for the embedded database and local state."),
  DB_URL(
      "db-url",
      null,
      true,
      "JDBC URL: jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB. Default: SQLite under the data dir."),
  DB_USER("db-user", null, true, "Database user (PostgreSQL)."),
  DB_PASSWORD("db-password", null, false, "Database password (PostgreSQL)."),
  DB_POOL_SIZE("db-pool-size", "10", true, "Maximum pooled database connections."),
  SQLITE_SYNCHRONOUS(
      "sqlite-synchronous",
      "FULL",
      true,
      "SQLite durability: FULL (every commit on disk) or NORMAL (faster; a power cut may lose the last commits)."),
  ADMIN_PASSWORD(
      "admin-password",
      null,
      false,
      "Password of the bootstrap admin created on an empty database; generated and printed once if unset."),
  MAX_BODY_BYTES("max-body-bytes", "1048576", true, "Largest accepted request body, in bytes."),
  SHUTDOWN_TIMEOUT_SECONDS(
      "shutdown-timeout-seconds",
      "20",
      true,
      "How long a graceful stop waits for in-flight requests."),
  HEARTBEAT_SECONDS(
      "heartbeat-seconds",
      "30",
      true,
      "How often agents are asked to send a heartbeat; three missed ones mark an agent offline."),
  POLL_INTERVAL_SECONDS(
      "poll-interval-seconds", "30", true, "Poll interval the server tells HTTP-polling agents."),
  TIMEOUT_GRACE_SECONDS(
      "timeout-grace-seconds",
      "30",
      true,
      "How long past a command's timeout the server waits for the agent's result."),
  RATE_COMMANDS_PER_MINUTE(
      "rate-commands-per-minute",
      "600",
      true,
      "Commands a tenant may create per minute, sustained; 0 turns the limit off."),
  RATE_COMMANDS_BURST(
      "rate-commands-burst",
      "100",
      true,
      "Commands a tenant may create at once before the per-minute rate applies."),
  RATE_LOGIN_FAILURES_PER_USER(
      "rate-login-failures-per-user",
      "10",
      true,
      "Failed logins allowed per username within the login window; 0 turns the limit off."),
  RATE_LOGIN_FAILURES_PER_ADDRESS(
      "rate-login-failures-per-address",
      "30",
      true,
      "Failed logins allowed per source address within the login window; 0 turns the limit off."),
  RATE_LOGIN_WINDOW_SECONDS(
      "rate-login-window-seconds",
      "300",
      true,
      "The window the login failure allowances refill over."),
  RATE_LIMIT_MAX_KEYS(
      "rate-limit-max-keys",
      "50000",
      true,
      "Most tenants, usernames or addresses each limit remembers at once."),
  TUNNEL_IDLE_TIMEOUT_SECONDS(
      "tunnel-idle-timeout-seconds",
      "900",
      true,
      "A tunnel session with no command, input or output for this long is closed."),
  TUNNEL_MAX_DURATION_SECONDS(
      "tunnel-max-duration-seconds",
      "28800",
      true,
      "A tunnel session is closed this long after it opened, however busy."),
  TUNNEL_MAX_SESSIONS_PER_USER(
      "tunnel-max-sessions-per-user",
      "3",
      true,
      "Open tunnel sessions one operator may hold at once."),
  TUNNEL_COMMANDS_PER_MINUTE(
      "tunnel-commands-per-minute",
      "60",
      true,
      "Command lines one operator may send through tunnels per minute; 0 turns the limit off."),
  TUNNEL_TRANSCRIPT_CAP_BYTES(
      "tunnel-transcript-cap-bytes",
      "1048576",
      true,
      "Transcript kept per tunnel session; past it only command lines are kept."),
  CONFIG(
      "config",
      null,
      true,
      "A properties file with any of these settings (keys as in 'file key').");

  private final String key;
  private final String defaultValue;
  private final boolean hasFlag;
  private final String description;

  Setting(String key, String defaultValue, boolean hasFlag, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.hasFlag = hasFlag;
    this.description = description;
  }

  /** The key in a configuration file, e.g. {@code db-url}. */
  public String fileKey() {
    return key;
  }

  /** The environment variable, e.g. {@code COURIER_DB_URL}. */
  public String envName() {
    return "COURIER_" + key.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * The command-line flag, e.g. {@code --db-url}; secrets have none so they never show in a process
   * list.
   */
  public Optional<String> flag() {
    return hasFlag ? Optional.of("--" + key) : Optional.empty();
  }

  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  public String description() {
    return description;
  }
}
