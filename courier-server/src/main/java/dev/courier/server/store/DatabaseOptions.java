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
 */
public record DatabaseOptions(
    SqliteSynchronous sqliteSynchronous, int poolSize, Duration busyTimeout) {

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
    return new DatabaseOptions(SqliteSynchronous.FULL, 8, Duration.ofSeconds(10));
  }

  public DatabaseOptions withSqliteSynchronous(SqliteSynchronous value) {
    return new DatabaseOptions(value, poolSize, busyTimeout);
  }

  public DatabaseOptions withPoolSize(int value) {
    return new DatabaseOptions(sqliteSynchronous, value, busyTimeout);
  }
}
