package dev.courier.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.sdk.internal.ExecutedJournal;
import dev.courier.agent.sdk.internal.Outbox;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against the real server on SQLite: enrollment, both transports, cancel, timeout. */
class RealServerAgentTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static TestServer server;

  @TempDir Path stateDir;

  private final List<CourierAgent> agents = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    server = TestServer.start(TestDatabases.Kind.SQLITE);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void stopAgents() {
    agents.forEach(agent -> agent.stop(Duration.ofSeconds(1)));
  }

  @Test
  void enrollment_returns_an_identity_that_survives_a_save_and_load() {
    AgentIdentity identity = enroll("host-enroll");

    identity.save(stateDir.resolve("identity.json"));

    assertThat(AgentIdentity.load(stateDir.resolve("identity.json"))).contains(identity);
    assertThat(identity.agentKey()).isNotBlank();
  }

  @Test
  void enrollment_with_a_bad_token_fails_with_the_servers_reason() {
    Enrollment enrollment = new Enrollment(URI.create(server.baseUrl()));

    assertThatThrownBy(() -> enrollment.enroll("not-a-token", "host", "1.0", Map.of()))
        .isInstanceOf(EnrollmentException.class)
        .hasMessageContaining("HTTP 4")
        .satisfies(e -> assertThat(((EnrollmentException) e).status()).isBetween(400, 499));
  }

  @Test
  void echo_round_trip_over_the_websocket_completes_with_its_output() {
    AgentIdentity identity = enroll("host-ws");
    TestExecutors.Echo echo = new TestExecutors.Echo();
    CourierAgent agent = start(options(identity), ExecutorRegistry.of(echo));
    await().atMost(PATIENCE).until(() -> agent.transportInUse().equals("websocket"));

    String id = createCommand(identity, "echo", Map.of("message", "hello over ws"), null);

    JsonNode done = awaitFinal(id);
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("result").path("output").asText()).isEqualTo("hello over ws");
    assertThat(echo.calls).hasValue(1);
    assertThat(agent.isConnected()).isTrue();
  }

  @Test
  void echo_round_trip_over_http_polling_completes_with_its_output() {
    AgentIdentity identity = enroll("host-poll");
    TestExecutors.Echo echo = new TestExecutors.Echo();
    CourierAgent agent =
        start(options(identity).withTransport(Transport.POLL), ExecutorRegistry.of(echo));
    await().atMost(PATIENCE).until(() -> agent.transportInUse().equals("poll"));

    String id = createCommand(identity, "echo", Map.of("message", "hello over poll"), null);

    JsonNode done = awaitFinal(id);
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("result").path("output").asText()).isEqualTo("hello over poll");
    assertThat(echo.calls).hasValue(1);
  }

  @Test
  void unknown_command_type_is_reported_failed_without_running_anything() {
    AgentIdentity identity = enroll("host-unknown");
    CourierAgent agent = start(options(identity), ExecutorRegistry.of(new TestExecutors.Echo()));
    await().atMost(PATIENCE).until(() -> agent.transportInUse().equals("websocket"));

    String id = createCommand(identity, "health_check", Map.of(), null);

    JsonNode done = awaitFinal(id);
    assertThat(done.path("status").asText()).isEqualTo("failed");
    assertThat(done.path("error").asText()).contains("unsupported command type health_check");
  }

  @Test
  void cancel_of_a_running_command_kills_its_process_and_ends_cancelled() {
    AgentIdentity identity = enroll("host-cancel");
    TestExecutors.Sleep sleep = new TestExecutors.Sleep("31.25");
    CourierAgent agent = start(options(identity), ExecutorRegistry.of(sleep));
    await().atMost(PATIENCE).until(() -> agent.transportInUse().equals("websocket"));
    String id = createCommand(identity, "collect", Map.of("collector", "sleep"), 60);
    await().atMost(PATIENCE).until(() -> sleep.process().isPresent());
    ProcessHandle process = sleep.process().orElseThrow();
    await().atMost(PATIENCE).until(() -> status(id).equals("running"));

    ApiClient.Response cancel = server.admin().delete("/api/v1/commands/" + id);
    assertThat(cancel.status()).as(cancel.toString()).isIn(200, 202);

    JsonNode done = awaitFinal(id);
    assertThat(done.path("status").asText()).isEqualTo("cancelled");
    await().atMost(PATIENCE).until(() -> !process.isAlive());
  }

  @Test
  void a_command_past_its_timeout_is_killed_and_ends_timed_out() {
    AgentIdentity identity = enroll("host-timeout");
    TestExecutors.Sleep sleep = new TestExecutors.Sleep("32.5");
    CourierAgent agent = start(options(identity), ExecutorRegistry.of(sleep));
    await().atMost(PATIENCE).until(() -> agent.transportInUse().equals("websocket"));

    String id = createCommand(identity, "collect", Map.of("collector", "sleep"), 2);
    await().atMost(PATIENCE).until(() -> sleep.process().isPresent());
    ProcessHandle process = sleep.process().orElseThrow();

    JsonNode done = awaitFinal(id);
    assertThat(done.path("status").asText()).isEqualTo("timed_out");
    await().atMost(PATIENCE).until(() -> !process.isAlive());
  }

  @Test
  void a_result_journaled_before_a_restart_is_delivered_and_nothing_runs_twice() throws Exception {
    AgentIdentity identity = enroll("host-restart");
    String id = createCommand(identity, "echo", Map.of("message", "before restart"), null);
    // What a first run leaves behind when it stops right after executing: the command was
    // acknowledged, journaled and its result stored, but the result never reached the server.
    ApiClient agentApi = server.api().as(identity.agentKey());
    assertThat(agentApi.post("/api/v1/commands/" + id + "/acknowledge", Map.of()).status())
        .isEqualTo(200);
    try (ExecutedJournal journal =
        ExecutedJournal.open(stateDir.resolve("executed.journal"), Clock.systemUTC())) {
      journal.recordExecuted(CommandId.of(id), Instant.now().plus(Duration.ofHours(1)));
    }
    Outbox.open(stateDir.resolve("outbox"))
        .put(
            new CommandResult(
                CommandId.of(id),
                CommandStatus.COMPLETED,
                Instant.now(),
                5L,
                0,
                null,
                null,
                null,
                null,
                "from the first run"));
    TestExecutors.Echo echo = new TestExecutors.Echo();

    CourierAgent agent = start(options(identity), ExecutorRegistry.of(echo));

    JsonNode done = awaitFinal(id);
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("result").path("output").asText()).isEqualTo("from the first run");
    await().atMost(PATIENCE).until(() -> Outbox.open(stateDir.resolve("outbox")).size() == 0);
    assertThat(echo.calls).hasValue(0);
    assertThat(agent.isConnected()).isTrue();
  }

  @Test
  void a_result_produced_while_the_agent_is_offline_is_delivered_after_a_restart() {
    AgentIdentity identity = enroll("host-offline");
    TestExecutors.Echo echo = new TestExecutors.Echo();
    CourierAgent first = start(options(identity), ExecutorRegistry.of(echo));
    String id = createCommand(identity, "echo", Map.of("message", "first"), null);
    awaitFinal(id);
    first.stop(Duration.ofSeconds(1));

    String second = createCommand(identity, "echo", Map.of("message", "second"), null);
    CourierAgent again = start(options(identity), ExecutorRegistry.of(echo));

    assertThat(awaitFinal(second).path("result").path("output").asText()).isEqualTo("second");
    assertThat(echo.calls).hasValue(2);
    assertThat(again.isConnected()).isTrue();
  }

  private AgentOptions options(AgentIdentity identity) {
    return AgentOptions.defaults(URI.create(server.baseUrl()), identity, stateDir)
        .withHostname("test-host")
        .withHeartbeatInterval(Duration.ofSeconds(2))
        .withPollInterval(Duration.ofSeconds(1))
        .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .withShutdownGrace(Duration.ofSeconds(2));
  }

  private CourierAgent start(AgentOptions options, ExecutorRegistry executors) {
    CourierAgent agent = new CourierAgent(options, executors);
    agents.add(agent);
    agent.start();
    return agent;
  }

  private AgentIdentity enroll(String hostname) {
    ApiClient.Response token =
        server.admin().post("/api/v1/enrollment-tokens", Map.of("max_uses", 1));
    assertThat(token.status()).as(token.toString()).isEqualTo(201);
    return new Enrollment(URI.create(server.baseUrl()))
        .enroll(token.text("token"), hostname, "0.1.0-test", Map.of("env", "test"));
  }

  private String createCommand(
      AgentIdentity identity, String type, Map<String, Object> params, Integer timeoutSeconds) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("agent_id", identity.agentId().value());
    body.put("type", type);
    body.put("params", params);
    if (timeoutSeconds != null) {
      body.put("timeout_seconds", timeoutSeconds);
    }
    ApiClient.Response created = server.admin().post("/api/v1/commands", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private String status(String id) {
    return server.admin().get("/api/v1/commands/" + id).text("status");
  }

  private JsonNode awaitFinal(String id) {
    return await()
        .atMost(PATIENCE)
        .until(
            () -> server.admin().get("/api/v1/commands/" + id).json(),
            view -> CommandStatus.fromWire(view.path("status").asText()).isTerminal());
  }
}
