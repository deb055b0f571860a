package dev.courier.server.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How to open the database.
 *
 * @param sqliteSynchronous SQLite's {@code synchronous} pragma: FULL survives power loss, NORMAL is
 *     about three times faster in WAL mode and survives process crashes
 * @param poolSize connections in the pool
 * @param busyTimeout how long SQLite waits for another process's write lock
 * @param user database user (PostgreSQL), or null to take it from the URL
 * @param password database password (PostgreSQL), or null
 */
public record DatabaseOptions(
    SqliteSynchronous sqliteSynchronous,
    int poolSize,
    Duration busyTimeout,
    String user,
    String password) {

  public enum SqliteSynchronous {
    FULL,
    NORMAL
  }

  public DatabaseOptions {
    Objects.requireNonNull(sqliteSynchronous, "sqliteSynchronous");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be positive");
    }
  }

  public static DatabaseOptions defaults() {
    return new DatabaseOptions(SqliteSynchronous.FULL, 8, Duration.ofSeconds(10), null, null);
  }

  public DatabaseOptions withSqliteSynchronous(SqliteSynchronous value) {
    return new DatabaseOptions(value, poolSize, busyTimeout, user, password);
  }

  public DatabaseOptions withPoolSize(int value) {
    return new DatabaseOptions(sqliteSynchronous, value, busyTimeout, user, password);
  }

  public DatabaseOptions withCredentials(String newUser, String newPassword) {
    return new DatabaseOptions(sqliteSynchronous, poolSize, busyTimeout, newUser, newPassword);
  }
}
