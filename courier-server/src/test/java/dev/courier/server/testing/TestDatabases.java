package dev.courier.server.testing;

import dev.courier.server.store.Database;
import dev.courier.server.store.DatabaseOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Hands out isolated databases for tests.
 *
 * <pre>{@code
 * try (TestDatabase db = TestDatabases.create(Kind.POSTGRES)) {
 *   JdbcRepositories repos = db.repositories(clock);
 *   ...
 * }
 * }</pre>
 *
 * <p>SQLite: a new file in a new temporary folder. PostgreSQL: a new database {@code
 * courier_test_<random>} on the server named by the environment variable {@code
 * COURIER_TEST_PG_URL} (an admin URL such as {@code
 * jdbc:postgresql://127.0.0.1:5432/test?user=postgres}) or, when it is unset, on an embedded
 * PostgreSQL started once per JVM. Both are dropped when the {@link TestDatabase} closes.
 */
public final class TestDatabases {

  /** Which database engine a test runs against. */
  public enum Kind {
    SQLITE,
    POSTGRES
  }

  private static final String PG_URL_VARIABLE = "COURIER_TEST_PG_URL";

  private TestDatabases() {}

  /** A fresh database migrated to the latest schema, opened with default options. */
  public static TestDatabase create(Kind kind) {
    return create(kind, DatabaseOptions.defaults());
  }

  public static TestDatabase create(Kind kind, DatabaseOptions options) {
    return switch (kind) {
      case SQLITE -> sqlite(options);
      case POSTGRES -> postgres(options);
    };
  }

  private static TestDatabase sqlite(DatabaseOptions options) {
    Path folder;
    try {
      folder = Files.createTempDirectory("courier-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String url = Database.sqliteUrl(folder.resolve("data"));
    return new TestDatabase(
        Kind.SQLITE, url, Database.open(url, options), () -> deleteRecursively(folder));
  }

  private static TestDatabase postgres(DatabaseOptions options) {
    String name =
        "courier_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    String adminUrl = PostgresServer.adminUrl();
    execute(adminUrl, "CREATE DATABASE " + name);
    String url = withDatabase(adminUrl, name);
    try {
      return new TestDatabase(
          Kind.POSTGRES,
          url,
          Database.open(url, options),
          () -> execute(adminUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    } catch (RuntimeException e) {
      execute(adminUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      throw e;
    }
  }

  /** Replaces the database name in a PostgreSQL JDBC URL, keeping host and parameters. */
  static String withDatabase(String url, String database) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    String params = query < 0 ? "" : url.substring(query);
    int slash = base.lastIndexOf('/');
    return base.substring(0, slash + 1) + database + params;
  }

  private static void execute(String url, String sql) {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed on the test PostgreSQL", e);
    }
  }

  private static void deleteRecursively(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The PostgreSQL server tests use: the configured one, or one embedded server per JVM. */
  private static final class PostgresServer {
    private static volatile String adminUrl;

    static String adminUrl() {
      String configured = System.getenv(PG_URL_VARIABLE);
      if (configured != null && !configured.isBlank()) {
        return configured;
      }
      if (adminUrl == null) {
        synchronized (PostgresServer.class) {
          if (adminUrl == null) {
            adminUrl = startEmbedded();
          }
        }
      }
      return adminUrl;
    }

    private static String startEmbedded() {
      try {
        EmbeddedPostgres server = EmbeddedPostgres.builder().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(server)));
        return server.getJdbcUrl("postgres", "postgres");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
    }

    private static void closeQuietly(EmbeddedPostgres server) {
      try {
        server.close();
      } catch (IOException e) {
        // The JVM is exiting; the temporary data folder is all that is left behind.
      }
    }
  }
}
