package dev.courier.server.store;

import com.zaxxer.hikari.HikariConfig;
import dev.courier.server.common.DuplicateKeyException;
import dev.courier.server.common.StorageException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/** PostgreSQL: TIMESTAMPTZ, JSONB, row locks with SKIP LOCKED. */
final class PostgresDialect implements Dialect {
  private static final String UNIQUE_VIOLATION = "23505";

  @Override
  public String migrationFolder() {
    return "postgresql";
  }

  @Override
  public void configure(HikariConfig config, String jdbcUrl, DatabaseOptions options) {
    config.setJdbcUrl(jdbcUrl);
    // Lets a String bind to a JSONB column even where code does not go through setJson.
    config.addDataSourceProperty("stringtype", "unspecified");
    // Turns a rollout's batched child inserts into multi-row INSERTs: one round trip, not many.
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
  }

  @Override
  public Lock writeLock() {
    return NoLock.INSTANCE;
  }

  @Override
  public void setInstant(PreparedStatement statement, int index, Instant value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      // Binding an OffsetDateTime in UTC keeps the JVM's default zone out of the conversion.
      statement.setObject(
          index, OffsetDateTime.ofInstant(value.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
    }
  }

  @Override
  public Instant getInstant(ResultSet rows, String column) throws SQLException {
    OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  @Override
  public void setJson(PreparedStatement statement, int index, String json) throws SQLException {
    if (json == null) {
      statement.setNull(index, Types.OTHER);
    } else {
      statement.setObject(index, json, Types.OTHER);
    }
  }

  @Override
  public String getJson(ResultSet rows, String column) throws SQLException {
    return rows.getString(column);
  }

  @Override
  public String skipLockedClause() {
    return " FOR UPDATE SKIP LOCKED";
  }

  @Override
  public String plusSeconds(String instantExpr, String secondsExpr) {
    return "(" + instantExpr + " + (" + secondsExpr + ") * INTERVAL '1 second')";
  }

  @Override
  public StorageException translate(String action, SQLException e) {
    if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
      return new DuplicateKeyException(action + ": " + e.getMessage(), e);
    }
    return new StorageException(action + ": " + e.getMessage(), e);
  }

  /** PostgreSQL takes row locks itself; writers need no lock in the JVM. */
  private enum NoLock implements Lock {
    INSTANCE;

    @Override
    public void lock() {}

    @Override
    public void lockInterruptibly() {}

    @Override
    public boolean tryLock() {
      return true;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) {
      return true;
    }

    @Override
    public void unlock() {}

    @Override
    public Condition newCondition() {
      throw new UnsupportedOperationException();
    }
  }
}
