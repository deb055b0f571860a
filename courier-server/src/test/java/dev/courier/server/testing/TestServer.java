package dev.courier.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.protocol.CommandStatus;
import dev.courier.server.CourierServer;
import dev.courier.server.auth.PasswordHasher;
import dev.courier.server.config.RateLimitSettings;
import dev.courier.server.config.ServerConfig;
import dev.courier.server.store.DatabaseOptions;
import dev.courier.server.tenant.Tenant;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.user.Role;
import dev.courier.server.user.User;
import dev.courier.server.user.UserId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The real server on a random loopback port against a fresh test database, with short intervals so
 * sweepers and presence act within a test's patience.
 */
public final class TestServer implements AutoCloseable {

  public static final String ADMIN_PASSWORD = "test-admin-password";
  private static final String USER_PASSWORD = "tenant-user-password";
  public static final Duration HEARTBEAT = Duration.ofSeconds(2);
  public static final Duration TIMEOUT_GRACE = Duration.ofSeconds(1);

  private final TestDatabase database;
  private final CourierServer server;
  private final ServerConfig config;
  private final Clock clock;

  /** Access tokens live an hour; tests that move the server's clock further log in again. */
  private static final Duration ADMIN_TOKEN_REUSE = Duration.ofMinutes(30);

  private String adminToken;
  private Instant adminTokenIssued;
  private final HttpClient http = ApiClient.newHttpClient();

  private TestServer(
      TestDatabase database, CourierServer server, ServerConfig config, Clock clock) {
    this.database = database;
    this.server = server;
    this.config = config;
    this.clock = clock;
    logInAdmin();
  }

  private void logInAdmin() {
    ApiClient.Response login =
        api().post("/api/v1/auth/login", Map.of("username", "admin", "password", ADMIN_PASSWORD));
    assertThat(login.status()).as(login.toString()).isEqualTo(200);
    adminToken = login.text("access_token");
    adminTokenIssued = clock.instant();
  }

  public static TestServer start(TestDatabases.Kind kind) {
    return start(kind, 1024 * 1024);
  }

  /**
   * The server on a clock the test moves by hand (a {@link MutableClock}), for time-bound rules.
   */
  public static TestServer start(TestDatabases.Kind kind, Clock clock) {
    return start(kind, 1024 * 1024, RateLimitSettings.defaults(), clock);
  }

  public static TestServer start(TestDatabases.Kind kind, long maxBodyBytes) {
    return start(kind, maxBodyBytes, RateLimitSettings.defaults());
  }

  /** With these rate limits instead of the documented defaults. */
  public static TestServer start(TestDatabases.Kind kind, RateLimitSettings rateLimits) {
    return start(kind, 1024 * 1024, rateLimits);
  }

  private static TestServer start(
      TestDatabases.Kind kind, long maxBodyBytes, RateLimitSettings rateLimits) {
    return start(
        kind, maxBodyBytes, rateLimits, Clock.tick(Clock.systemUTC(), Duration.ofMillis(1)));
  }

  private static TestServer start(
      TestDatabases.Kind kind, long maxBodyBytes, RateLimitSettings rateLimits, Clock clock) {
    TestDatabase database = TestDatabases.create(kind);
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("courier-server-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ServerConfig config =
        new ServerConfig(
            "127.0.0.1",
            0,
            dataDir,
            database.jdbcUrl(),
            Optional.empty(),
            Optional.empty(),
            8,
            DatabaseOptions.SqliteSynchronous.NORMAL,
            Optional.of(ADMIN_PASSWORD),
            maxBodyBytes,
            Duration.ofSeconds(2),
            HEARTBEAT,
            Duration.ofSeconds(1),
            TIMEOUT_GRACE,
            rateLimits);
    try {
      return new TestServer(database, CourierServer.start(config, clock), config, clock);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  public String webSocketUrl() {
    return "ws://127.0.0.1:" + server.port() + "/api/v1/agents/ws";
  }

  /** Unauthenticated client. */
  public ApiClient api() {
    return new ApiClient(http, baseUrl(), null);
  }

  /** Logged in as the bootstrap system admin. */
  public ApiClient admin() {
    Instant now = clock.instant();
    if (now.isBefore(adminTokenIssued) || now.isAfter(adminTokenIssued.plus(ADMIN_TOKEN_REUSE))) {
      logInAdmin();
    }
    return new ApiClient(http, baseUrl(), adminToken);
  }

  /** The agent's status in the admin's agents list ("online", "offline"), or "absent". */
  public String agentStatus(String agentId) {
    for (JsonNode agent : admin().get("/api/v1/agents?limit=200").json().path("agents")) {
      if (agent.path("id").asText().equals(agentId)) {
        return agent.path("status").asText();
      }
    }
    return "absent";
  }

  /** Polls the command until its status never changes again; returns it as the API shows it. */
  public JsonNode awaitFinished(String commandId, Duration patience) {
    return await()
        .atMost(patience)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> admin().get("/api/v1/commands/" + commandId).json(),
            command -> CommandStatus.fromWire(command.path("status").asText()).isTerminal());
  }

  /** Creates an enrollment token and enrolls an agent with it through the public API. */
  public EnrolledTestAgent enrollAgent(String hostname) {
    return enroll(admin().post("/api/v1/enrollment-tokens", Map.of("max_uses", 1)), hostname);
  }

  /** The same in {@code tenant}. */
  public EnrolledTestAgent enrollAgent(TenantId tenant, String hostname) {
    return enroll(
        admin()
            .post("/api/v1/enrollment-tokens", Map.of("max_uses", 1, "tenant_id", tenant.value())),
        hostname);
  }

  private EnrolledTestAgent enroll(ApiClient.Response token, String hostname) {
    assertThat(token.status()).as(token.toString()).isEqualTo(201);
    ApiClient.Response enrolled =
        api()
            .post(
                "/api/v1/agents/enroll",
                Map.of("enrollment_token", token.text("token"), "hostname", hostname));
    assertThat(enrolled.status()).as(enrolled.toString()).isEqualTo(201);
    return new EnrolledTestAgent(
        enrolled.text("agent_id"), enrolled.text("agent_key"), enrolled.text("server_public_key"));
  }

  /** The database under the server, for assertions on what was committed. */
  public TestDatabase database() {
    return database;
  }

  /**
   * A new tenant, written to the database directly (faster than the API, which has its own tests).
   */
  public TenantId createTenant() {
    TenantId id = TenantId.random();
    database
        .repositories(Clock.systemUTC())
        .tenants()
        .create(new Tenant(id, "tenant-" + id.value(), Clock.systemUTC().instant()));
    return id;
  }

  /**
   * A new user of {@code role} in {@code tenant}, written to the database directly (the users API
   * has its own tests) and logged in through the public API.
   */
  public ApiClient loginAs(TenantId tenant, Role role) {
    String username = role.wireName() + "-" + UserId.random().value();
    database
        .repositories(Clock.systemUTC())
        .users()
        .create(
            new User(
                UserId.random(),
                tenant,
                username,
                new PasswordHasher().hash(USER_PASSWORD),
                role,
                false,
                Clock.systemUTC().instant()));
    ApiClient.Response login =
        api().post("/api/v1/auth/login", Map.of("username", username, "password", USER_PASSWORD));
    assertThat(login.status()).as(login.toString()).isEqualTo(200);
    return api().as(login.text("access_token"));
  }

  /**
   * Another server node on this one's database and clock, on its own port: for tests of work that
   * several nodes share (PostgreSQL only). The caller closes it.
   */
  public CourierServer startAnotherNode() {
    return CourierServer.start(config, clock);
  }

  public CourierServer server() {
    return server;
  }

  @Override
  public void close() {
    http.close();
    server.close();
    database.close();
  }

  /** An agent's identity as enrollment returned it. */
  public record EnrolledTestAgent(String id, String key, String serverPublicKey) {}
}
