package dev.courier.server.testing;

import dev.courier.server.common.Transactions;
import dev.courier.server.store.Database;
import dev.courier.server.store.JdbcRepositories;
import java.time.Clock;

/**
 * A fresh, migrated database owned by one test class or test. Closing it closes the pool and
 * deletes the data (drops the PostgreSQL database, or the SQLite folder).
 */
public final class TestDatabase implements AutoCloseable {
  private final TestDatabases.Kind kind;
  private final String jdbcUrl;
  private final Database database;
  private final Runnable cleanup;

  TestDatabase(TestDatabases.Kind kind, String jdbcUrl, Database database, Runnable cleanup) {
    this.kind = kind;
    this.jdbcUrl = jdbcUrl;
    this.database = database;
    this.cleanup = cleanup;
  }

  public TestDatabases.Kind kind() {
    return kind;
  }

  /** The URL the database was opened with; open it again to test a restart. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  public Database database() {
    return database;
  }

  public Transactions transactions() {
    return database.transactions();
  }

  /** All repositories on this database, stamping settings with {@code clock}. */
  public JdbcRepositories repositories(Clock clock) {
    return JdbcRepositories.create(database, clock);
  }

  @Override
  public void close() {
    database.close();
    cleanup.run();
  }
}
