package dev.courier.bench.harness;

import dev.courier.server.CourierServer;
import dev.courier.server.config.RateLimitSettings;
import dev.courier.server.config.ServerConfig;
import dev.courier.server.store.DatabaseOptions.SqliteSynchronous;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The real Courier server in this JVM, built through its public configuration record and started on
 * 127.0.0.1. Rate limits are off (a benchmark creates commands in bulk); everything else is the
 * production default unless the benchmark says otherwise.
 */
public final class BenchServer implements AutoCloseable {

  public static final String ADMIN_PASSWORD = "bench-admin-password";

  /** What a benchmark may change in the server's configuration. */
  public record Settings(
      Duration heartbeat,
      Duration pollInterval,
      SqliteSynchronous sqliteSynchronous,
      int poolSize) {
    public static Settings defaults() {
      return new Settings(
          Duration.ofSeconds(30), Duration.ofSeconds(1), SqliteSynchronous.FULL, 10);
    }

    public Settings withHeartbeat(Duration value) {
      return new Settings(value, pollInterval, sqliteSynchronous, poolSize);
    }
  }

  private final BenchDatabase database;
  private final Settings settings;
  private volatile CourierServer server;
  private int port;

  private BenchServer(BenchDatabase database, Settings settings) {
    this.database = database;
    this.settings = settings;
  }

  /** Starts on a random port. */
  public static BenchServer start(BenchDatabase database, Settings settings) {
    BenchServer bench = new BenchServer(database, settings);
    bench.server = CourierServer.start(bench.config(0));
    bench.port = bench.server.port();
    return bench;
  }

  public ServerConfig config(int onPort) {
    return new ServerConfig(
        "127.0.0.1",
        onPort,
        database.dir().resolve("server-data"),
        database.jdbcUrl(),
        Optional.empty(),
        Optional.empty(),
        settings.poolSize(),
        settings.sqliteSynchronous(),
        Optional.of(ADMIN_PASSWORD),
        1024 * 1024,
        Duration.ofSeconds(5),
        settings.heartbeat(),
        settings.pollInterval(),
        Duration.ofSeconds(30),
        RateLimitSettings.unlimited());
  }

  public void stop() {
    CourierServer running = server;
    server = null;
    if (running != null) {
      running.close();
    }
  }

  /**
   * Starts again on the same port and database.
   *
   * @return nanoseconds from the call to ready
   */
  public long restart() {
    stop();
    long t0 = System.nanoTime();
    server = CourierServer.start(config(port));
    return System.nanoTime() - t0;
  }

  public CourierServer server() {
    return server;
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public String webSocketUrl() {
    return "ws://127.0.0.1:" + port + "/api/v1/agents/ws";
  }

  /** Agents with an open WebSocket on this node right now. */
  public int connectedAgents() {
    CourierServer running = server;
    return running == null ? 0 : running.gateway().connectedCount();
  }

  public Path dataDir() {
    return database.dir().resolve("server-data");
  }

  @Override
  public void close() {
    stop();
  }
}
