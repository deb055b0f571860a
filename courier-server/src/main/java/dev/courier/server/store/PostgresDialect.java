package dev.courier.server.store;

import com.zaxxer.hikari.HikariConfig;
import dev.courier.server.common.DuplicateKeyException;
import dev.courier.server.common.StorageException;
import java.sql.Connection;
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
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PostgreSQL: TIMESTAMPTZ, JSONB, row locks with SKIP LOCKED. */
final class PostgresDialect implements Dialect {
  private static final Logger log = LoggerFactory.getLogger(PostgresDialect.class);
  private static final String UNIQUE_VIOLATION = "23505";

  /** The unprivileged role of V4's row-level security, for users that would bypass it. */
  static final String CONFINED_ROLE = "courier_tenant";

  private volatile boolean enforced;
  private volatile boolean switchRole;

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
  public String jsonTextField(String column) {
    return "(" + column + " ->> ?)";
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

  @Override
  public String forUpdateClause() {
    return " FOR UPDATE";
  }

  /**
   * Row-level security does not bind a superuser or a role with BYPASSRLS (the usual user of a
   * development database). Such a user switches, for each confined transaction, to the unprivileged
   * role {@value #CONFINED_ROLE} that the migrations create when they are allowed to; an ordinary
   * owner is bound by the policies directly (they are forced).
   */
  @Override
  public void afterMigration(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT r.rolsuper OR r.rolbypassrls AS bypasses,"
                    + " EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)"
                    + " AND pg_has_role(current_user, ?, 'MEMBER') AS can_switch"
                    + " FROM pg_roles r WHERE r.rolname = current_user")) {
      statement.setString(1, CONFINED_ROLE);
      statement.setString(2, CONFINED_ROLE);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        boolean bypasses = rows.getBoolean("bypasses");
        boolean canSwitch = rows.getBoolean("can_switch");
        switchRole = bypasses && canSwitch;
        enforced = !bypasses || canSwitch;
        if (!enforced) {
          log.warn(
              "the database user bypasses row-level security and cannot switch to the role {};"
                  + " tenant isolation rests on the application's filters alone",
              CONFINED_ROLE);
        }
      }
    }
  }

  @Override
  public boolean enforcesConfinement() {
    return enforced;
  }

  @Override
  public void confine(Connection connection, String tenant) throws SQLException {
    // set_config(..., true) lasts until the transaction ends, so a pooled connection carries no
    // confinement over to its next user.
    String sql =
        switchRole
            ? "SELECT set_config('courier.tenant_id', ?, true),"
                + " set_config('role', CASE WHEN ? = '' THEN session_user ELSE '"
                + CONFINED_ROLE
                + "' END, true)"
            : "SELECT set_config('courier.tenant_id', ?, true)";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, tenant);
      if (switchRole) {
        statement.setString(2, tenant);
      }
      statement.execute();
    }
  }
}
