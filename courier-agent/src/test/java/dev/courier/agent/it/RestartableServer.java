package dev.courier.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.server.CourierServer;
import dev.courier.server.config.RateLimitSettings;
import dev.courier.server.config.ServerConfig;
import dev.courier.server.store.DatabaseOptions;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestDatabase;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The real server on one loopback port and one SQLite database that outlive the server: {@link
 * #stop()} and {@link #restart()} model an outage, after which agents reconnect to the same URL and
 * the server still knows them (its signing key lives in the database).
 */
final class RestartableServer implements AutoCloseable {

  private final TestDatabase database = TestDatabases.create(TestDatabases.Kind.SQLITE);
  private final Path dataDir;
  private final HttpClient http = ApiClient.newHttpClient();
  private CourierServer server;
  private int port;

  RestartableServer() {
    try {
      dataDir = Files.createTempDirectory("courier-restartable-server-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server = CourierServer.start(config(0));
    port = server.port();
  }

  private ServerConfig config(int onPort) {
    return new ServerConfig(
        "127.0.0.1",
        onPort,
        dataDir,
        database.jdbcUrl(),
        Optional.empty(),
        Optional.empty(),
        4,
        DatabaseOptions.SqliteSynchronous.NORMAL,
        Optional.of(TestServer.ADMIN_PASSWORD),
        1024 * 1024,
        Duration.ofSeconds(2),
        TestServer.HEARTBEAT,
        Duration.ofSeconds(1),
        TestServer.TIMEOUT_GRACE,
        RateLimitSettings.defaults());
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * Logged in as the bootstrap admin (a fresh login: tokens survive restarts, logins are cheap).
   */
  ApiClient admin() {
    ApiClient api = new ApiClient(http, baseUrl(), null);
    ApiClient.Response login =
        api.post(
            "/api/v1/auth/login",
            Map.of("username", "admin", "password", TestServer.ADMIN_PASSWORD));
    assertThat(login.status()).as(login.toString()).isEqualTo(200);
    return api.as(login.text("access_token"));
  }

  void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  void restart() {
    stop();
    server = CourierServer.start(config(port));
  }

  @Override
  public void close() {
    stop();
    http.close();
    database.close();
  }
}
