package dev.courier.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A database used by one benchmark run and nothing else: a SQLite file in a new temporary folder,
 * or a fresh PostgreSQL database created on the server named by {@code COURIER_TEST_PG_URL} and
 * dropped on close.
 */
public final class BenchDatabase implements AutoCloseable {

  public static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  public enum Kind {
    SQLITE,
    POSTGRES;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Kind kind;
  private final Path dir;
  private final String jdbcUrl;
  private final String adminUrl;
  private final String pgName;

  private BenchDatabase(Kind kind, Path dir, String jdbcUrl, String adminUrl, String pgName) {
    this.kind = kind;
    this.dir = dir;
    this.jdbcUrl = jdbcUrl;
    this.adminUrl = adminUrl;
    this.pgName = pgName;
  }

  public static BenchDatabase create(Kind kind) {
    Path dir;
    try {
      dir = Files.createTempDirectory("courier-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (kind == Kind.SQLITE) {
      return new BenchDatabase(kind, dir, "jdbc:sqlite:" + dir.resolve("courier.db"), null, null);
    }
    String adminUrl = System.getenv().getOrDefault("COURIER_TEST_PG_URL", DEFAULT_PG_URL);
    String name = "courier_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(adminUrl);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create a PostgreSQL database through " + redact(adminUrl) + ": " + e.getMessage(),
          e);
    }
    return new BenchDatabase(kind, dir, withDatabase(adminUrl, name), adminUrl, name);
  }

  /** The same URL naming another database: {@code jdbc:postgresql://h:p/OTHER?params}. */
  static String withDatabase(String url, String database) {
    URI uri = URI.create(url.substring("jdbc:".length()));
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return "jdbc:" + uri.getScheme() + "://" + uri.getRawAuthority() + "/" + database + query;
  }

  private static String redact(String url) {
    return url.replaceAll("password=[^&]*", "password=***");
  }

  public Kind kind() {
    return kind;
  }

  /** A folder for this run's files (server data dir, agent state, logs). */
  public Path dir() {
    return dir;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  /**
   * Whether the database's own processes run on this machine, where their CPU can be read: a
   * PostgreSQL reached over loopback (SQLite runs inside the server's process).
   */
  public boolean postgresOnThisMachine() {
    return kind == Kind.POSTGRES && isLoopback(jdbcUrl);
  }

  static boolean isLoopback(String jdbcUrl) {
    String rest = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2);
    String host =
        rest.startsWith("[") ? rest.substring(1, rest.indexOf(']')) : rest.split("[:/?]", 2)[0];
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl);
  }

  @Override
  public void close() {
    if (pgName != null) {
      try (Connection c = DriverManager.getConnection(adminUrl);
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
      } catch (SQLException e) {
        System.err.println("courier bench: could not drop " + pgName + ": " + e.getMessage());
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp folder is harmless
    }
  }
}
