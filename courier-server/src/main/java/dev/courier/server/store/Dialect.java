package dev.courier.server.store;

import com.zaxxer.hikari.HikariConfig;
import dev.courier.server.common.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.locks.Lock;
import javax.sql.DataSource;

/**
 * Everything that differs between SQLite and PostgreSQL. Repositories write one statement per
 * operation and ask the dialect for the pieces that differ; nothing else branches on the database.
 */
public interface Dialect {

  /** Folder under {@code db/migration/} with this dialect's Flyway scripts. */
  String migrationFolder();

  /** Applies connection settings (pragmas, driver properties) to the pool. */
  void configure(HikariConfig config, String jdbcUrl, DatabaseOptions options);

  /**
   * Settings only the group commit's writers get, on top of {@link #configure}: they hold their
   * connections for the server's life and make most of its writes.
   */
  default void configureWriters(HikariConfig config) {}

  /**
   * Held for the whole of every write transaction. SQLite allows one writer at a time, so its
   * dialect serializes writers here instead of letting them fail with SQLITE_BUSY; PostgreSQL's is
   * a no-op.
   */
  Lock writeLock();

  /**
   * Whether concurrent write transactions share one commit ({@link CommitBatch}): where writers
   * queue for one lock anyway, the one holding it commits for those before it, so a burst pays one
   * fsync. The write lock must then be a fair {@link java.util.concurrent.locks.ReentrantLock}.
   */
  default boolean sharesCommits() {
    return false;
  }

  /**
   * Whether prepared statements are kept per connection and reused ({@link StatementCache}): where
   * the driver prepares anew for every statement created. PostgreSQL's driver keeps its own.
   */
  default boolean cachesStatements() {
    return false;
  }

  /** Binds an instant (null allowed), truncated to milliseconds so both databases agree. */
  void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException;

  Instant getInstant(ResultSet rows, String column) throws SQLException;

  /** Binds a JSON document given as text (null allowed). */
  void setJson(PreparedStatement statement, int index, String json) throws SQLException;

  String getJson(ResultSet rows, String column) throws SQLException;

  /**
   * Appended to the inner SELECT of a claim: PostgreSQL locks the rows and skips those another
   * claimer holds; SQLite needs nothing, its single writer already excludes others.
   */
  String skipLockedClause();

  /** An SQL expression: the instant {@code instantExpr} plus {@code secondsExpr} seconds. */
  String plusSeconds(String instantExpr, String secondsExpr);

  /**
   * The text value of one key of a JSON object column; the key is the expression's one bind
   * parameter.
   */
  String jsonTextField(String column);

  /** Wraps a driver exception, telling unique-constraint violations apart. */
  StorageException translate(String action, SQLException e);

  /**
   * Appended to a SELECT that reads a row the transaction will update and others must wait for:
   * PostgreSQL locks it; SQLite's single writer already excludes others.
   */
  String forUpdateClause();

  /** Learns, once migrations ran, what the database user may do (such as switch roles). */
  void afterMigration(DataSource dataSource) throws SQLException;

  /** Whether {@link #confine} makes the database itself hide other tenants' rows. */
  boolean enforcesConfinement();

  /**
   * Confines the rest of the connection's transaction to {@code tenant}'s rows; the empty string
   * lifts the confinement. A no-op where the database has no row-level security.
   */
  void confine(Connection connection, String tenant) throws SQLException;
}
