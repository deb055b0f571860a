package dev.courier.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.courier.server.cluster.ClusterBus;
import dev.courier.server.cluster.LocalClusterBus;
import dev.courier.server.common.GroupCommit;
import dev.courier.server.common.Transactions;
import dev.courier.server.tenant.TenantConfinement;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * The open, migrated database: a connection pool, the dialect that fits it and the transaction
 * mechanism. Opening migrates the schema to the latest version.
 */
public final class Database implements AutoCloseable {
  /** Items a group commit writer queues before callers wait; the most in one transaction. */
  private static final int GROUP_QUEUE = 4096;

  private static final int GROUP_BATCH = 256;

  /**
   * SQLite's one writer spends much of a fan-out in COMMIT (about 5 ms each, the fsync and the WAL
   * pages): four times larger batches took a 10,000-agent fan-out from 3.4-4.1 s to 3.0-3.1 s on
   * the reference machine. A failed batch reruns its items one by one, each with its own commit, so
   * a failure costs more with larger batches; failures there are rare (a refusal is an item's
   * outcome, not the batch's).
   */
  private static final int SQLITE_GROUP_BATCH = 1024;

  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final JdbcTransactions transactions;
  private final Jdbc jdbc;
  private final String schemaVersion;
  private final List<GroupCommit> groupCommits = new CopyOnWriteArrayList<>();
  private final List<HikariDataSource> writerPools = new CopyOnWriteArrayList<>();
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
    HikariDataSource dataSource =
        pool("courier-db", options.poolSize(), jdbcUrl, options, dialect, config -> {});
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

  private static HikariDataSource pool(
      String name,
      int size,
      String jdbcUrl,
      DatabaseOptions options,
      Dialect dialect,
      Consumer<HikariConfig> role) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setMaximumPoolSize(size);
    if (options.user() != null) {
      config.setUsername(options.user());
    }
    if (options.password() != null) {
      config.setPassword(options.password());
    }
    dialect.configure(config, jdbcUrl, options);
    role.accept(config);
    return new HikariDataSource(config);
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

  Dialect dialect() {
    return dialect;
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
          jdbc,
          transactions,
          jdbcUrl,
          options.user(),
          options.password(),
          "courier-cluster " + nodeName);
    }
    return new LocalClusterBus(transactions);
  }

  /**
   * A group commit for many small writes on this database, drained and stopped when the database
   * closes. Its writers have connections of their own, one each, beside the pool: however many
   * requests wait for a pooled connection, the writers never queue behind them, and however many
   * agents write at once, they hold no more than the writers' connections. One writer for SQLite,
   * whose writes queue for one lock anyway; for PostgreSQL half the pool size (2 to 8): a writer
   * waits for each of its statements' round trips, so several keep the database busy.
   *
   * @param keepsWrites which failures of an item keep the writes it made before failing
   */
  public GroupCommit openGroupCommit(Predicate<RuntimeException> keepsWrites) {
    return openGroupCommit(keepsWrites, UnaryOperator.identity());
  }

  /**
   * {@link #openGroupCommit(Predicate)}, with each task that completes committed items' futures
   * wrapped in {@code aroundCompletions}.
   */
  public GroupCommit openGroupCommit(
      Predicate<RuntimeException> keepsWrites, UnaryOperator<Runnable> aroundCompletions) {
    boolean sqlite = dialect instanceof SqliteDialect;
    int writers = sqlite ? 1 : Math.clamp(options.poolSize() / 2, 2, 8);
    // An in-memory SQLite database is one per connection: its writers must share the pool's.
    boolean separate = !jdbcUrl.contains(":memory:") && !jdbcUrl.contains("mode=memory");
    HikariDataSource own =
        separate
            ? pool("courier-writers", writers, jdbcUrl, options, dialect, dialect::configureWriters)
            : dataSource;
    if (separate) {
      writerPools.add(own);
    }
    GroupCommit groupCommit =
        new GroupCommit(
            transactions,
            "courier-writer",
            writers,
            GROUP_QUEUE,
            sqlite ? SQLITE_GROUP_BATCH : GROUP_BATCH,
            keepsWrites,
            body -> transactions.onPool(own, body),
            aroundCompletions);
    groupCommits.add(groupCommit);
    return groupCommit;
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
    groupCommits.forEach(GroupCommit::close);
    writerPools.forEach(HikariDataSource::close);
    dataSource.close();
  }
}
