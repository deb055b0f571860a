package dev.courier.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.agent.sdk.AgentIdentity;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.OperatorStream;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import dev.courier.server.user.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The terminal (issue 9) end to end: the real agent as a child JVM, with and without {@code
 * --enable-terminal}, against the real server, driven by an operator through the tunnel API and the
 * stream WebSocket. Run on SQLite and PostgreSQL by two subclasses; the SQLite one also kills an
 * agent mid-session (a third agent process, which PostgreSQL would not test differently).
 */
@DisabledOnOs(OS.WINDOWS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
abstract class TerminalEndToEndContract {

  private static final Duration ONLINE_PATIENCE = Duration.ofSeconds(30);
  static final Duration PATIENCE = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final ChildAgents agents = new ChildAgents();

  Path temp;
  private TestServer server;
  private TenantId tenant;
  ApiClient operator;
  String operatorToken;
  private ChildAgent enabledAgent;
  private ChildAgent disabledAgent;
  private String enabledId;
  private String disabledId;

  abstract TestDatabases.Kind kind();

  @BeforeAll
  void startServerAndTwoAgents() throws IOException {
    temp = Files.createTempDirectory("courier-terminal-e2e-");
    server = TestServer.start(kind());
    tenant = server.createTenant();
    operator = server.loginAs(tenant, Role.OPERATOR);
    operatorToken = bearerOf(operator);
    List<String> enabledArgs = new ArrayList<>(firstRunArgs());
    enabledArgs.add("--enable-terminal");
    enabledAgent = agents.resident(temp.resolve("enabled"), enabledArgs);
    disabledAgent = agents.resident(temp.resolve("disabled"), firstRunArgs());
    try {
      enabledId = awaitEnrolledAndOnline(enabledAgent);
      disabledId = awaitEnrolledAndOnline(disabledAgent);
    } catch (RuntimeException | AssertionError e) {
      System.err.println(enabledAgent.log()); // no test watcher sees a failure in @BeforeAll
      System.err.println(disabledAgent.log());
      throw e;
    }
  }

  @AfterEach
  void closeOpenSessions() {
    for (JsonNode session : operator.get("/api/v1/tunnel/status").json().path("sessions")) {
      operator.post(
          "/api/v1/tunnel/close", Map.of("session_id", session.path("session_id").asText()));
    }
  }

  @AfterAll
  void stopAll() throws IOException {
    agents.closeResidents();
    if (server != null) {
      server.close();
    }
    try (Stream<Path> paths = Files.walk(temp)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Test
  void open_run_echo_and_ls_through_the_api_then_close_kills_what_the_session_started()
      throws IOException {
    assertThat(capabilities(enabledId)).contains("tunnel");

    ApiClient.Response opened = open(enabledId);
    assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
    String session = opened.text("session_id");
    awaitStatus(session, "ready");

    JsonNode echo = command(session, "echo hello");
    JsonNode ls = command(session, "ls");
    JsonNode where = command(session, "pwd; echo $TERM");

    assertThat(echo.path("stdout").asText()).isEqualTo("hello\n");
    assertThat(echo.path("stderr").asText()).isEmpty();
    assertThat(echo.path("exit_code").asInt(-1)).isZero();
    assertThat(echo.path("truncated").asBoolean()).isFalse();
    Path home = enabledAgent.home();
    assertThat(ls.path("exit_code").asInt(-1)).isZero();
    assertThat(Set.copyOf(ls.path("stdout").asText().lines().toList()))
        .isEqualTo(visibleNames(home));
    assertThat(where.path("stdout").asText()).isEqualTo(home.toRealPath() + "\nxterm-256color\n");

    ApiClient.Response closed =
        operator.post("/api/v1/tunnel/close", Map.of("session_id", session));
    assertThat(closed.status()).as(closed.toString()).isEqualTo(200);
    assertThat(closed.text("close_reason")).isEqualTo("closed_by_user");
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(enabledAgent.children()).isEmpty());
  }

  @Test
  void the_stream_runs_typed_input_in_the_agents_shell_and_close_ends_it() throws Exception {
    String session = open(enabledId).text("session_id");
    awaitStatus(session, "ready");

    List<ProcessHandle> started;
    try (OperatorStream stream =
        OperatorStream.connect(streamUrl(session) + "?cols=100&rows=30", operatorToken)) {
      assertThat(stream.next("status").path("status").asText()).isEqualTo("ready");
      stream.awaitPrompt();
      stream.send("{\"type\":\"input\",\"data\":\"echo hi-$((40+2))\\n\"}");

      stream.awaitOutput(text -> text.contains("hi-42\r\n"));
      // A job that ignores the hang-up a closing terminal sends: closing must kill it anyway.
      stream.send("{\"type\":\"input\",\"data\":\"nohup sleep 300 >/dev/null 2>&1 &\\n\"}");
      started = awaitChildRunning(enabledAgent, "sleep");

      stream.send("{\"type\":\"resize\",\"cols\":120,\"rows\":40}");
      stream.send("{\"type\":\"input\",\"data\":\"tput cols 2>/dev/null || stty size\\n\"}");
      stream.awaitOutput(text -> text.contains("120"));

      ApiClient.Response closed =
          operator.post("/api/v1/tunnel/close", Map.of("session_id", session));
      assertThat(closed.status()).as(closed.toString()).isEqualTo(200);
      JsonNode ended = stream.next("status");
      assertThat(ended.path("status").asText()).isEqualTo("closed");
      assertThat(stream.closeCode()).isEqualTo(4000);
    }
    await()
        .atMost(PATIENCE)
        .untilAsserted(() -> assertThat(started).noneMatch(ProcessHandle::isAlive));
    assertThat(enabledAgent.children()).isEmpty();
  }

  @Test
  void an_agent_without_the_terminal_is_refused_with_a_clear_error_and_runs_nothing() {
    ApiClient.Response refused = open(disabledId);

    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.text("detail")).contains("tunnel").contains("terminal.enabled");
    assertThat(capabilities(disabledId)).doesNotContain("tunnel");
    assertThat(operator.get("/api/v1/tunnel/status").json().path("sessions")).isEmpty();
    assertThat(disabledAgent.children()).isEmpty();
    assertThat(disabledAgent.log()).contains("terminal disabled");
  }

  // ---- helpers

  /** Waits until {@code agent} runs a program named {@code name}; all its processes then. */
  static List<ProcessHandle> awaitChildRunning(ChildAgent agent, String name) {
    return await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(50))
        .until(
            agent::children,
            children ->
                children.stream()
                    .anyMatch(
                        p -> p.info().command().map(c -> c.endsWith("/" + name)).orElse(false)));
  }

  ApiClient.Response open(String agentId) {
    return operator.post("/api/v1/tunnel/open", Map.of("agent_id", agentId));
  }

  private JsonNode command(String session, String line) {
    ApiClient.Response ran =
        operator.post("/api/v1/tunnel/" + session + "/command", Map.of("command", line));
    assertThat(ran.status()).as(ran.toString()).isEqualTo(200);
    return ran.json();
  }

  void awaitStatus(String session, String status) {
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertThat(
                        operator
                            .get("/api/v1/tunnel/status?session_id=" + session)
                            .json()
                            .path("status")
                            .asText())
                    .isEqualTo(status));
  }

  private List<String> capabilities(String agentId) {
    List<String> found = new ArrayList<>();
    server
        .admin()
        .get("/api/v1/agents/" + agentId)
        .json()
        .path("capabilities")
        .forEach(c -> found.add(c.asText()));
    return found;
  }

  private static Set<String> visibleNames(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(name -> !name.startsWith("."))
          .collect(Collectors.toSet());
    }
  }

  String streamUrl(String session) {
    return "ws://127.0.0.1:" + server.server().port() + "/api/v1/tunnel/" + session + "/stream";
  }

  List<String> firstRunArgs() {
    ApiClient.Response token =
        server
            .admin()
            .post("/api/v1/enrollment-tokens", Map.of("max_uses", 1, "tenant_id", tenant.value()));
    assertThat(token.status()).as(token.toString()).isEqualTo(201);
    return List.of(
        "--server",
        server.baseUrl(),
        "--heartbeat-seconds",
        "2",
        "--shutdown-grace-seconds",
        "3",
        "--enroll",
        token.text("token"));
  }

  String awaitEnrolledAndOnline(ChildAgent agent) {
    AgentIdentity identity = agent.awaitIdentity(ONLINE_PATIENCE);
    String id = identity.agentId().value();
    await()
        .atMost(ONLINE_PATIENCE)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertThat(
                        server.admin().get("/api/v1/agents/" + id).json().path("status").asText())
                    .isEqualTo("online"));
    return id;
  }

  /** The operator's bearer token, for the stream's upgrade request. */
  private static String bearerOf(ApiClient client) {
    return client.bearer();
  }
}
