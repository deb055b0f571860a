package dev.courier.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.sdk.AgentIdentity;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real agent, as a child JVM, against the real server: enrollment, connection, the built-in
 * executors on this machine, restarts with the saved identity, offline queueing and SIGTERM. Run on
 * SQLite and PostgreSQL by two tiny subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
abstract class AgentEndToEndContract {

  private static final Duration ONLINE_PATIENCE = Duration.ofSeconds(30);
  private static final Duration RESULT_PATIENCE = Duration.ofSeconds(30);
  private static final int GRACE_SECONDS = 3;

  @RegisterExtension final ChildAgents agents = new ChildAgents();

  private Path temp;
  private Path collectRoot;

  private TestServer server;
  private String residentId;

  abstract TestDatabases.Kind kind();

  @BeforeAll
  void startServerAndAResidentAgent() throws IOException {
    temp = Files.createTempDirectory("courier-agent-e2e-");
    server = TestServer.start(kind());
    collectRoot = Files.createDirectories(temp.resolve("logs"));
    Files.writeString(collectRoot.resolve("app.log"), "started\n");
    List<String> args = new ArrayList<>(firstRunArgs());
    args.addAll(List.of("--collect-roots", collectRoot.toString()));
    ChildAgent resident = agents.resident(temp.resolve("resident"), args);
    try {
      residentId = awaitEnrolledAndOnline(resident);
    } catch (RuntimeException | AssertionError e) {
      System.err.println(resident.log()); // no test watcher sees a failure in @BeforeAll
      throw e;
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
  void first_run_enrolls_and_collect_inventory_returns_this_machines_real_inventory()
      throws IOException {
    JsonNode command = runToEnd(residentId, "collect_inventory", Map.of());

    assertThat(command.path("status").asText()).as(command.toString()).isEqualTo("completed");
    JsonNode inventory = command.path("result").path("metadata");
    assertThat(inventory.path("hostname").asText()).isEqualTo(machineHostname());
    assertThat(inventory.path("memory").path("total_bytes").asLong()).isPositive();
    assertThat(inventory.path("cpu").path("logical_cores").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(inventory.path("os").path("family").asText()).isNotBlank();
    assertThat(command.path("result").path("output").asText()).startsWith("inventory of ");
    JsonNode agent = server.admin().get("/api/v1/agents/" + residentId).json();
    assertThat(agent.path("hostname").asText()).isEqualTo(machineHostname());
    assertThat(agent.path("capabilities"))
        .extracting(JsonNode::asText)
        .contains(
            "echo",
            "health_check",
            "collect_inventory",
            "collect_telemetry",
            "config_update",
            "restart",
            "upgrade");
  }

  @Test
  void health_check_and_collect_telemetry_complete_with_real_data() {
    JsonNode health = runToEnd(residentId, "health_check", Map.of());
    JsonNode telemetry =
        runToEnd(residentId, "collect_telemetry", Map.of("sample_ms", 200, "top", 3));

    assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("completed");
    assertThat(health.path("result").path("metadata").path("healthy").isBoolean()).isTrue();
    assertThat(
            health
                .path("result")
                .path("metadata")
                .path("checks")
                .path("memory")
                .path("total_bytes")
                .asLong())
        .isPositive();
    assertThat(telemetry.path("status").asText()).as(telemetry.toString()).isEqualTo("completed");
    JsonNode data = telemetry.path("result").path("metadata");
    assertThat(data.path("cpu").path("usage_percent").asDouble()).isBetween(0.0, 100.0);
    assertThat(data.path("processes").path("count").asInt()).isPositive();
    assertThat(data.path("processes").path("top")).isNotEmpty().hasSizeLessThanOrEqualTo(3);
  }

  @Test
  void collect_inventory_returns_only_the_sections_asked_for() {
    JsonNode command =
        runToEnd(residentId, "collect_inventory", Map.of("sections", List.of("os", "memory")));

    assertThat(command.path("status").asText()).as(command.toString()).isEqualTo("completed");
    JsonNode inventory = command.path("result").path("metadata");
    assertThat(inventory.path("memory").path("total_bytes").asLong()).isPositive();
    assertThat(inventory.path("os").path("family").asText()).isNotBlank();
    assertThat(inventory.has("network")).isFalse();
  }

  @Test
  void config_update_on_an_agent_without_a_config_file_fails_with_a_reason() {
    JsonNode command =
        runToEnd(
            residentId, "config_update", Map.of("config_data", Map.of("heartbeat_seconds", 5)));

    assertThat(command.path("status").asText()).as(command.toString()).isEqualTo("failed");
    assertThat(command.path("error").asText()).contains("without a config file");
  }

  @Test
  void collect_gathers_files_under_an_allowed_root_and_reports_the_artifact() {
    JsonNode command =
        runToEnd(
            residentId,
            "collect",
            Map.of(
                "collector",
                "files",
                "source_config",
                Map.of("path", collectRoot.toString(), "pattern", "*.log")));

    assertThat(command.path("status").asText()).as(command.toString()).isEqualTo("completed");
    JsonNode metadata = command.path("result").path("metadata");
    assertThat(metadata.path("files").get(0).path("path").asText()).isEqualTo("app.log");
    assertThat(metadata.path("artifact").path("sha256").asText()).hasSize(64);
    assertThat(Path.of(metadata.path("artifact").path("path").asText())).exists();
  }

  @Test
  void a_system_executor_the_agent_allows_nothing_refuses_naming_the_setting() {
    JsonNode command =
        runToEnd(residentId, "git_pull", Map.of("repository_path", "/srv/app", "branch", "main"));

    assertThat(command.path("status").asText()).as(command.toString()).isEqualTo("failed");
    assertThat(command.path("error").asText()).contains("--git-roots");
  }

  @Test
  void a_restarted_agent_reconnects_with_its_saved_identity_and_runs_echo()
      throws InterruptedException {
    Path stateDir = temp.resolve("restarted");
    ChildAgent first = agents.start(stateDir, firstRunArgs());
    String id = awaitEnrolledAndOnline(first);
    assertThat(first.terminate(Duration.ofSeconds(GRACE_SECONDS + 10))).isZero();
    int agentsBefore = agentCount();

    ChildAgent second = agents.start(stateDir, laterRunArgs());
    awaitOnline(id, second);
    JsonNode echo = runToEnd(id, "echo", Map.of("message", "back again"));

    assertThat(echo.path("status").asText()).as(echo.toString()).isEqualTo("completed");
    assertThat(echo.path("result").path("output").asText()).isEqualTo("back again");
    assertThat(second.identity().orElseThrow().agentId().value()).isEqualTo(id);
    assertThat(agentCount()).as("no second enrollment").isEqualTo(agentsBefore);
  }

  @Test
  void a_command_created_while_the_agent_is_down_is_delivered_when_it_returns()
      throws InterruptedException {
    Path stateDir = temp.resolve("returning");
    ChildAgent first = agents.start(stateDir, firstRunArgs());
    String id = awaitEnrolledAndOnline(first);
    assertThat(first.terminate(Duration.ofSeconds(GRACE_SECONDS + 10))).isZero();

    String commandId = create(id, "echo", Map.of("message", "queued while away"));
    assertThat(command(commandId).path("status").asText()).isEqualTo("pending");
    agents.start(stateDir, laterRunArgs());
    JsonNode done = awaitFinal(commandId);

    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
    assertThat(done.path("result").path("output").asText()).isEqualTo("queued while away");
  }

  @Test
  void an_agent_on_the_poll_transport_runs_commands() {
    List<String> args = new ArrayList<>(firstRunArgs());
    args.addAll(List.of("--transport", "poll"));
    ChildAgent agent = agents.start(temp.resolve("poller"), args);
    String id = awaitEnrolledAndOnline(agent);

    JsonNode echo = runToEnd(id, "echo", Map.of("message", "polled"));

    assertThat(echo.path("status").asText()).as(echo.toString()).isEqualTo("completed");
    assertThat(echo.path("result").path("output").asText()).isEqualTo("polled");
  }

  @Test
  void sigterm_stops_the_agent_with_exit_0_within_the_grace() throws InterruptedException {
    ChildAgent agent = agents.start(temp.resolve("terminated"), firstRunArgs());
    awaitEnrolledAndOnline(agent);

    long started = System.nanoTime();
    Integer exit = agent.terminate(Duration.ofSeconds(GRACE_SECONDS + 5));

    assertThat(exit).as("exit code after SIGTERM").isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isLessThan(Duration.ofSeconds(GRACE_SECONDS + 2));
    assertThat(agent.log()).contains("stopping", "stopped");
  }

  @Test
  void the_agent_logs_enrollment_connection_and_each_command() {
    Path stateDir = temp.resolve("logged");
    ChildAgent agent = agents.start(stateDir, firstRunArgs());
    String id = awaitEnrolledAndOnline(agent);
    String commandId = runToEnd(id, "echo", Map.of("message", "log me")).path("id").asText();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String log = agent.log();
              assertThat(log).contains("enrolled with " + server.baseUrl() + " as agent " + id);
              assertThat(log.toLowerCase(Locale.ROOT)).contains("connected to " + server.baseUrl());
              assertThat(log.lines().filter(line -> line.contains(commandId)))
                  .as("a start and an end line for the command")
                  .hasSizeGreaterThanOrEqualTo(2)
                  .anyMatch(line -> line.contains("completed"));
            });
  }

  // ---- helpers

  private List<String> firstRunArgs() {
    ApiClient.Response token =
        server.admin().post("/api/v1/enrollment-tokens", Map.of("max_uses", 1));
    assertThat(token.status()).as(token.toString()).isEqualTo(201);
    List<String> args = new ArrayList<>(laterRunArgs());
    args.addAll(List.of("--enroll", token.text("token")));
    return args;
  }

  private List<String> laterRunArgs() {
    return List.of(
        "--server",
        server.baseUrl(),
        "--heartbeat-seconds",
        "2",
        "--shutdown-grace-seconds",
        String.valueOf(GRACE_SECONDS));
  }

  private String awaitEnrolledAndOnline(ChildAgent agent) {
    AgentIdentity identity = agent.awaitIdentity(ONLINE_PATIENCE);
    String id = identity.agentId().value();
    awaitOnline(id, agent);
    return id;
  }

  private void awaitOnline(String id, ChildAgent agent) {
    await()
        .atMost(ONLINE_PATIENCE)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              assertThat(agent.isAlive()).as("agent process exited").isTrue();
              assertThat(server.agentStatus(id)).isEqualTo("online");
            });
  }

  private int agentCount() {
    return server.admin().get("/api/v1/agents?limit=200").json().path("agents").size();
  }

  private String create(String agentId, String type, Map<String, Object> params) {
    ApiClient.Response created =
        server
            .admin()
            .post("/api/v1/commands", Map.of("agent_id", agentId, "type", type, "params", params));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  /** Creates a command, waiting on the server for its result, then polls if that was not enough. */
  private JsonNode runToEnd(String agentId, String type, Map<String, Object> params) {
    ApiClient.Response created =
        server
            .admin()
            .post(
                "/api/v1/commands?wait=20s",
                Map.of("agent_id", agentId, "type", type, "params", params));
    assertThat(created.status()).as(created.toString()).isIn(200, 201);
    return awaitFinal(created.text("id"));
  }

  private JsonNode awaitFinal(String commandId) {
    return server.awaitFinished(commandId, RESULT_PATIENCE);
  }

  private JsonNode command(String commandId) {
    return server.admin().get("/api/v1/commands/" + commandId).json();
  }

  private static String machineHostname() throws IOException {
    Path kernel = Path.of("/proc/sys/kernel/hostname");
    return Files.isReadable(kernel)
        ? Files.readString(kernel).trim()
        : InetAddress.getLocalHost().getHostName();
  }
}
