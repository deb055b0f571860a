package dev.courier.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.sdk.AgentIdentity;
import dev.courier.server.testing.ApiClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's durability tests: the real agent process killed with SIGKILL during a command and
 * between finishing one and the server confirming it, and a server outage spanning several
 * commands. The command is a {@code scan} by a stand-in scanner that logs each run to a file, so
 * "nothing ran twice" is counted, not assumed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AgentDurabilityTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @RegisterExtension final ChildAgents agents = new ChildAgents();
  @TempDir Path temp;

  private RestartableServer server;
  private Path bin;
  private Path code;
  private Path runs;

  @BeforeEach
  void startServer() throws IOException {
    server = new RestartableServer();
    bin = Files.createDirectories(temp.resolve("bin"));
    code = Files.createDirectories(temp.resolve("code"));
    runs = temp.resolve("runs.log");
    Files.writeString(code.resolve("app.py"), "print('hi')\n");
  }

  @AfterEach
  void stopServerAndStrayScanners() throws IOException {
    server.close();
    // A SIGKILLed agent cannot kill its scanner; end the stand-ins this test started.
    Path pids = temp.resolve("pids");
    if (Files.exists(pids)) {
      for (String pid : Files.readAllLines(pids)) {
        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  /** A semgrep stand-in: logs "run" per scan, sleeps, writes an empty SARIF report. */
  private void scanner(int sleepSeconds) throws IOException {
    Path script = bin.resolve("semgrep");
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "case \"$1\" in --version) echo 1.0.0; exit 0 ;; esac\n"
            + "echo $$ >> '"
            + temp.resolve("pids")
            + "'\n"
            + "echo run >> '"
            + runs
            + "'\n"
            + "for a in \"$@\"; do case \"$a\" in --output=*) out=\"${a#--output=}\" ;; esac; done\n"
            + "sleep "
            + sleepSeconds
            + "\n"
            + "printf '%s' '{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"semgrep\"}},"
            + "\"results\":[]}]}' > \"$out\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void kill_9_during_a_command_reports_it_failed_once_after_restart_and_never_runs_it_again()
      throws Exception {
    scanner(20);
    Path state = temp.resolve("state");
    ChildAgent first = agents.start(state, firstRunArgs());
    String agentId = awaitOnline(first, state);
    String commandId = scan(agentId);
    await().atMost(PATIENCE).until(() -> runCount() == 1);

    first.kill();
    ChildAgent second = agents.start(state, laterRunArgs());
    JsonNode done = awaitFinal(commandId);

    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("failed");
    assertThat(done.path("error").asText()).contains("not executed again");
    awaitOutboxEmpty(state);
    assertThat(second.isAlive()).isTrue();
    assertThat(runCount()).as("the scanner ran once").isEqualTo(1);
  }

  @Test
  void kill_9_after_a_command_finished_but_before_the_server_confirmed_delivers_it_once()
      throws Exception {
    scanner(2);
    Path state = temp.resolve("state");
    ChildAgent first = agents.start(state, firstRunArgs());
    String agentId = awaitOnline(first, state);
    String commandId = scan(agentId);
    await().atMost(PATIENCE).until(() -> runCount() == 1);
    server.stop();
    await().atMost(PATIENCE).until(() -> outboxFiles(state).size() == 1);

    first.kill();
    server.restart();
    agents.start(state, laterRunArgs());
    JsonNode done = awaitFinal(commandId);

    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
    assertThat(done.path("result").path("metadata").path("scanner").asText()).isEqualTo("semgrep");
    awaitOutboxEmpty(state);
    assertThat(runCount()).as("the scanner ran once").isEqualTo(1);
  }

  @Test
  void results_of_commands_run_while_the_server_is_down_arrive_when_it_returns() throws Exception {
    scanner(2);
    Path state = temp.resolve("state");
    ChildAgent agent = agents.start(state, firstRunArgs());
    String agentId = awaitOnline(agent, state);
    List<String> ids = List.of(scan(agentId), scan(agentId), scan(agentId));
    await().atMost(PATIENCE).until(() -> runCount() == 3);

    server.stop();
    await().atMost(PATIENCE).until(() -> outboxFiles(state).size() == 3);
    assertThat(agent.isAlive()).isTrue();
    server.restart();

    for (String id : ids) {
      JsonNode done = awaitFinal(id);
      assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
    }
    awaitOutboxEmpty(state);
    assertThat(runCount()).isEqualTo(3);
  }

  @Test
  void sigterm_during_a_command_reports_it_cancelled_after_the_grace_and_exits_0()
      throws Exception {
    scanner(20);
    Path state = temp.resolve("state");
    ChildAgent agent = agents.start(state, firstRunArgs());
    String agentId = awaitOnline(agent, state);
    String commandId = scan(agentId);
    await().atMost(PATIENCE).until(() -> runCount() == 1);

    Integer exit = agent.terminate(PATIENCE);

    assertThat(exit).as("exit status after SIGTERM").isZero();
    JsonNode done = awaitFinal(commandId);
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("cancelled");
    assertThat(outboxFiles(state)).as("reported before exiting").isEmpty();
  }

  @Test
  void restart_reports_completed_then_exits_75_for_the_service_manager_to_restart()
      throws Exception {
    Path state = temp.resolve("state");
    ChildAgent agent = agents.start(state, firstRunArgs());
    String agentId = awaitOnline(agent, state);

    String commandId = create(agentId, "restart", Map.of("grace_period_seconds", 1));
    Integer exit = agent.awaitExit(PATIENCE);

    assertThat(exit).as("exit status").isEqualTo(75);
    assertThat(awaitFinal(commandId).path("status").asText()).isEqualTo("completed");
    assertThat(outboxFiles(state)).as("reported before exiting").isEmpty();
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
        "2",
        "--scan-roots",
        code.toString(),
        "--scanner-path",
        bin.toString());
  }

  private String awaitOnline(ChildAgent agent, Path state) {
    AgentIdentity identity = agent.awaitIdentity(PATIENCE);
    String id = identity.agentId().value();
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                server
                    .admin()
                    .get("/api/v1/agents/" + id)
                    .json()
                    .path("status")
                    .asText()
                    .equals("online"));
    return id;
  }

  private String scan(String agentId) {
    return create(agentId, "scan", Map.of("scanner", "semgrep", "target", code.toString()));
  }

  private String create(String agentId, String type, Map<String, Object> params) {
    ApiClient.Response created =
        server
            .admin()
            .post("/api/v1/commands", Map.of("agent_id", agentId, "type", type, "params", params));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private JsonNode awaitFinal(String commandId) {
    return await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> server.admin().get("/api/v1/commands/" + commandId).json(),
            command ->
                List.of("completed", "failed", "timed_out", "cancelled", "expired")
                    .contains(command.path("status").asText()));
  }

  private void awaitOutboxEmpty(Path state) {
    await().atMost(PATIENCE).until(() -> outboxFiles(state).isEmpty());
  }

  private int runCount() throws IOException {
    return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
  }

  private static List<Path> outboxFiles(Path state) throws IOException {
    Path outbox = state.resolve("outbox");
    if (!Files.isDirectory(outbox)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(outbox)) {
      return files.filter(f -> f.getFileName().toString().matches("[^.].*\\.json")).toList();
    }
  }
}
