package dev.courier.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.courier.server.cluster.ClusterBus;
import dev.courier.server.cluster.LocalClusterBus;
import dev.courier.server.common.Transactions;
import dev.courier.server.tenant.TenantConfinement;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * The open, migrated database: a connection pool, the dialect that fits it and the transaction
 * mechanism. Opening migrates the schema to the latest version.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final JdbcTransactions transactions;
  private final Jdbc jdbc;
  private final String schemaVersion;
  private final String jdbcUrl;
  private final DatabaseOptions options;

  private Database(
      HikariDataSource dataSource,
      Dialect dialect,
      String schemaVersion,
      String jdbcUrl,
      DatabaseOptions options) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.transactions = new JdbcTransactions(dataSource, dialect);
    this.jdbc = new Jdbc(dataSource, dialect, transactions);
    this.schemaVersion = schemaVersion;
    this.jdbcUrl = jdbcUrl;
    this.options = options;
  }

  /**
   * Opens {@code jdbc:sqlite:<file>} (creating the file's folder) or {@code jdbc:postgresql://...},
   * and applies pending migrations.
   */
  public static Database open(String jdbcUrl, DatabaseOptions options) {
    Dialect dialect = dialectFor(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setPoolName("courier-db");
    config.setMaximumPoolSize(options.poolSize());
    if (options.user() != null) {
      config.setUsername(options.user());
    }
    if (options.password() != null) {
      config.setPassword(options.password());
    }
    dialect.configure(config, jdbcUrl, options);
    HikariDataSource dataSource = new HikariDataSource(config);
    try {
      Flyway flyway =
          Flyway.configure()
              .dataSource(dataSource)
              .locations("classpath:db/migration/" + dialect.migrationFolder())
              .failOnMissingLocations(true)
              .load();
      flyway.migrate();
      MigrationInfo current = flyway.info().current();
      dialect.afterMigration(dataSource);
      return new Database(dataSource, dialect, current.getVersion().getVersion(), jdbcUrl, options);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    } catch (SQLException e) {
      dataSource.close();
      throw dialect.translate("inspect the database user", e);
    }
  }

  /** The URL of the embedded database file inside {@code dataDir}. */
  public static String sqliteUrl(Path dataDir) {
    return "jdbc:sqlite:" + dataDir.resolve("courier.db").toAbsolutePath();
  }

  private static Dialect dialectFor(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return new SqliteDialect();
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return new PostgresDialect();
    }
    throw new IllegalArgumentException(
        "unsupported database URL (want jdbc:sqlite: or jdbc:postgresql:): " + jdbcUrl);
  }

  /** Runs work in one transaction; repository calls inside it join. */
  public Transactions transactions() {
    return transactions;
  }

  /** Confines a thread's database work to one tenant's rows, where the database can. */
  public TenantConfinement confinement() {
    return transactions;
  }

  /**
   * Opens the bus this node shares with the others on the same database: {@code LISTEN/NOTIFY} on
   * its own connection for PostgreSQL (listening when this returns), in-process for SQLite, which
   * serves one node. Close it before the database.
   *
   * @param nodeName names the listening connection in {@code pg_stat_activity}
   */
  public ClusterBus openClusterBus(String nodeName) {
    if (dialect instanceof PostgresDialect) {
      return new PostgresClusterBus(
          jdbc, jdbcUrl, options.user(), options.password(), "courier-cluster " + nodeName);
    }
    return new LocalClusterBus(transactions);
  }

  /** The applied schema version, such as "1". */
  public String schemaVersion() {
    return schemaVersion;
  }

  /** True if a connection answers a trivial query; migrations were applied when it opened. */
  public boolean isReady() {
    if (dataSource.isClosed()) {
      return false;
    }
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(2);
      return statement.execute("SELECT 1");
    } catch (SQLException e) {
      return false;
    }
  }

  Jdbc jdbc() {
    return jdbc;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
