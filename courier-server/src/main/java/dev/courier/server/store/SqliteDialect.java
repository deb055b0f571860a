package dev.courier.server.store;

import com.zaxxer.hikari.HikariConfig;
import dev.courier.server.common.DuplicateKeyException;
import dev.courier.server.common.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** SQLite: times as epoch milliseconds, JSON as text, one writer at a time. */
final class SqliteDialect implements Dialect {
  private static final String PREFIX = "jdbc:sqlite:";

  // One per Database (one file): all write transactions of this process queue here, fairly, and
  // never meet SQLITE_BUSY. busy_timeout still covers other processes and checkpoints.
  private final Lock writeLock = new ReentrantLock(true);

  @Override
  public String migrationFolder() {
    return "sqlite";
  }

  @Override
  public void configure(HikariConfig config, String jdbcUrl, DatabaseOptions options) {
    createParentFolder(jdbcUrl);
    config.setJdbcUrl(jdbcUrl);
    config.addDataSourceProperty("journal_mode", "WAL");
    config.addDataSourceProperty("synchronous", options.sqliteSynchronous().name());
    config.addDataSourceProperty("foreign_keys", "true");
    config.addDataSourceProperty("busy_timeout", String.valueOf(options.busyTimeout().toMillis()));
    // Savepoints (every member of a shared commit runs in one) keep a journal of the pages they
    // change. On FILE it stays in memory up to SQLite's spill size (64 KiB by default) and then
    // goes to a temporary file: write calls, but no fsync. MEMORY saves those calls, yet a
    // savepoint that changes thousands of rows (a rollout's 10,000 children) then runs 4 to 40
    // times slower: 130 instead of 35 us per inserted command, 225 instead of 5 us per target
    // update. Lifecycles per second differed by less than this machine's noise (four runs each:
    // 0.17-0.24 of INSERT tx/s on FILE, 0.19-0.28 on MEMORY). Said explicitly: a driver's build
    // may default otherwise.
    config.addDataSourceProperty("temp_store", "FILE");
    // Take the write lock at BEGIN: a deferred transaction that reads and then writes can fail
    // with SQLITE_BUSY_SNAPSHOT if another connection committed in between.
    config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
  }

  /**
   * The writer's page cache: 64 MiB instead of SQLite's 2 MiB. An agent's report updates its
   * command's row and index entries wherever they are, and a 10,000-agent fan-out's answers come in
   * no order, so with 2 MiB most statements read their pages again (from the WAL or the file).
   * Replaying a fan-out's accepts and results alone (10,000 commands in random order, 1,024 to a
   * transaction, docs/benchmarks.md): 81 and 40 us per statement with 2 MiB, 47 and 25 us with 64
   * MiB. The cache only grows to the pages the writer touched, and it stays warm between batches
   * while no other connection writes: SQLite drops a connection's whole cache when it finds the
   * file changed by another. Pooled connections keep the default for that reason.
   */
  private static final int WRITER_CACHE_KIB = 64 * 1024;

  @Override
  public void configureWriters(HikariConfig config) {
    config.addDataSourceProperty("cache_size", String.valueOf(-WRITER_CACHE_KIB));
  }

  private static void createParentFolder(String jdbcUrl) {
    String file = jdbcUrl.substring(PREFIX.length());
    int query = file.indexOf('?');
    if (query >= 0) {
      file = file.substring(0, query);
    }
    if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
      return;
    }
    Path parent = Path.of(file).toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the database folder " + parent, e);
    }
  }

  @Override
  public Lock writeLock() {
    return writeLock;
  }

  @Override
  public boolean sharesCommits() {
    return true;
  }

  @Override
  public boolean cachesStatements() {
    return true;
  }

  @Override
  public void setInstant(PreparedStatement statement, int index, Instant value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setLong(index, value.toEpochMilli());
    }
  }

  @Override
  public Instant getInstant(ResultSet rows, String column) throws SQLException {
    long millis = rows.getLong(column);
    return rows.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  @Override
  public void setJson(PreparedStatement statement, int index, String json) throws SQLException {
    statement.setString(index, json);
  }

  @Override
  public String getJson(ResultSet rows, String column) throws SQLException {
    return rows.getString(column);
  }

  @Override
  public String skipLockedClause() {
    return "";
  }

  @Override
  public String jsonTextField(String column) {
    return "json_extract(" + column + ", '$.\"' || ? || '\"')";
  }

  @Override
  public String plusSeconds(String instantExpr, String secondsExpr) {
    return "(" + instantExpr + " + (" + secondsExpr + ") * 1000)";
  }

  @Override
  public StorageException translate(String action, SQLException e) {
    if (e instanceof SQLiteException se
        && (se.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
            || se.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)) {
      return new DuplicateKeyException(action + ": " + e.getMessage(), e);
    }
    return new StorageException(action + ": " + e.getMessage(), e);
  }

  @Override
  public String forUpdateClause() {
    return "";
  }

  @Override
  public void afterMigration(DataSource dataSource) {}

  @Override
  public boolean enforcesConfinement() {
    return false;
  }

  @Override
  public void confine(Connection connection, String tenant) {}
}
