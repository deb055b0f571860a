package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.protocol.ProtocolJson;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CommandsCliTest {

  private static CliHarness cli;
  private static ExecutorService agentThreads;

  @BeforeAll
  static void start() {
    cli = new CliHarness();
    agentThreads = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    agentThreads.shutdownNow();
    agentThreads.awaitTermination(10, TimeUnit.SECONDS);
    cli.close();
  }

  private static JsonNode json(CliHarness.Result result) throws Exception {
    return ProtocolJson.mapper().readTree(result.out());
  }

  /** The agent side, on another thread: take the next command and report {@code result}. */
  private static Future<String> agentReports(FakeAgent agent, Map<String, Object> result) {
    return agentThreads.submit(
        () -> {
          String id = agent.acknowledgeNext(Duration.ofSeconds(20));
          agent.report(id, result);
          return id;
        });
  }

  @Test
  void run_with_wait_prints_the_result_the_agent_reports_and_exits_0() throws Exception {
    FakeAgent agent = new FakeAgent(cli.server(), "web-1");
    Future<String> reported =
        agentReports(
            agent,
            Map.of(
                "status", "completed",
                "exit_code", 0,
                "duration_ms", 12,
                "summary", "echoed",
                "output", "hello"));

    CliHarness.Result run =
        cli.admin(
            "commands",
            "run",
            "--agent",
            agent.id,
            "--type",
            "echo",
            "--param",
            "message=hello",
            "--wait",
            "20s");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode command = json(run);
    assertThat(command.path("id").asText()).isEqualTo(reported.get(20, TimeUnit.SECONDS));
    assertThat(command.path("status").asText()).isEqualTo("completed");
    assertThat(command.path("params").path("message").asText()).isEqualTo("hello");
    assertThat(command.path("result").path("output").asText()).isEqualTo("hello");
    assertThat(command.path("result").path("exit_code").asInt()).isZero();
  }

  @Test
  void run_with_wait_exits_1_when_the_agent_reports_failure() throws Exception {
    FakeAgent agent = new FakeAgent(cli.server(), "web-2");
    Future<String> reported =
        agentReports(
            agent,
            Map.of("status", "failed", "exit_code", 2, "error", "disk full", "output", "boom"));

    CliHarness.Result run =
        cli.admin(
            "commands", "run", "--agent", agent.id, "--type", "health_check", "--wait", "20s");

    reported.get(20, TimeUnit.SECONDS);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
    JsonNode command = json(run);
    assertThat(command.path("status").asText()).isEqualTo("failed");
    assertThat(command.path("result").path("exit_code").asInt()).isEqualTo(2);
  }

  @Test
  void run_without_wait_queues_the_command_and_exits_0() throws Exception {
    FakeAgent agent = new FakeAgent(cli.server(), "web-3");

    CliHarness.Result run =
        cli.admin(
            "commands",
            "run",
            "--agent",
            agent.id,
            "--type",
            "echo",
            "--params-json",
            "{\"message\": \"from json\"}",
            "--param",
            "message=from flag",
            "--priority",
            "high",
            "--timeout-seconds",
            "7",
            "--idempotency-key",
            "once-" + agent.id);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode command = json(run);
    assertThat(command.path("status").asText()).isEqualTo("pending");
    assertThat(command.path("params").path("message").asText()).isEqualTo("from flag");
    assertThat(command.path("priority").asText()).isEqualTo("high");
    assertThat(command.path("timeout_seconds").asInt()).isEqualTo(7);

    CliHarness.Result again =
        cli.admin(
            "commands",
            "run",
            "--agent",
            agent.id,
            "--type",
            "echo",
            "--param",
            "message=from flag",
            "--priority",
            "high",
            "--timeout-seconds",
            "7",
            "--idempotency-key",
            "once-" + agent.id);
    assertThat(json(again).path("id").asText()).isEqualTo(command.path("id").asText());
  }

  @Test
  void run_whose_wait_ends_first_exits_4_and_says_how_to_follow() throws Exception {
    FakeAgent agent = new FakeAgent(cli.server(), "web-4");

    CliHarness.Result run =
        cli.admin("commands", "run", "--agent", agent.id, "--type", "echo", "--wait", "300ms");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.STILL_RUNNING);
    String id = json(run).path("id").asText();
    assertThat(run.err()).contains("still pending").contains("commands get " + id);
  }

  @Test
  void an_unknown_type_prints_the_problem_with_its_field_and_exits_1() {
    FakeAgent agent = new FakeAgent(cli.server(), "web-5");

    CliHarness.Result run =
        cli.admin("commands", "run", "--agent", agent.id, "--type", "no_such_type");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .startsWith("error: 400 Bad Request: unknown command type 'no_such_type'")
        .contains("(field: type)");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void a_parameter_the_type_does_not_take_is_refused_naming_it() {
    FakeAgent agent = new FakeAgent(cli.server(), "web-6");

    CliHarness.Result run =
        cli.admin("commands", "run", "--agent", agent.id, "--type", "echo", "--param", "count:=3");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err()).startsWith("error: 400 Bad Request: invalid parameters for echo");
  }

  @Test
  void list_all_follows_next_cursor_through_every_page() throws Exception {
    FakeAgent agent = new FakeAgent(cli.server(), "batch-1");
    Set<String> created = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      CliHarness.Result run =
          cli.admin(
              "commands", "run", "--agent", agent.id, "--type", "echo", "--param", "message=" + i);
      assertThat(run.exitCode()).as(run.toString()).isZero();
      created.add(json(run).path("id").asText());
    }

    CliHarness.Result firstPage =
        cli.admin("commands", "list", "--agent", agent.id, "--limit", "2", "--output", "json");
    assertThat(json(firstPage).path("commands")).hasSize(2);
    assertThat(json(firstPage).path("next_cursor").asText()).isNotBlank();

    CliHarness.Result all =
        cli.admin(
            "commands", "list", "--agent", agent.id, "--limit", "2", "--all", "--output", "json");
    assertThat(all.exitCode()).as(all.toString()).isZero();
    Set<String> listed = new HashSet<>();
    json(all).path("commands").forEach(command -> listed.add(command.path("id").asText()));
    assertThat(listed).isEqualTo(created);
    assertThat(json(all).path("next_cursor").asText()).isEmpty();

    CliHarness.Result table =
        cli.admin("commands", "list", "--agent", agent.id, "--limit", "2", "--all");
    assertThat(table.out().lines()).hasSize(6);
    assertThat(table.out().lines().findFirst().orElseThrow())
        .startsWith("ID")
        .contains("AGENT", "TYPE", "STATUS", "CREATED");
    assertThat(table.err()).isEmpty();

    CliHarness.Result paged =
        cli.admin("commands", "list", "--agent", agent.id, "--limit", "2", "--status", "pending");
    assertThat(paged.out().lines()).hasSize(3);
    assertThat(paged.err()).contains("more results: add --cursor ");
  }

  @Test
  void cancel_ends_a_pending_command_and_get_shows_it_cancelled() throws Exception {
    FakeAgent agent = new FakeAgent(cli.server(), "cancel-1");
    String id =
        json(cli.admin("commands", "run", "--agent", agent.id, "--type", "echo"))
            .path("id")
            .asText();

    CliHarness.Result cancel = cli.admin("commands", "cancel", id);

    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    assertThat(json(cancel).path("status").asText()).isEqualTo("cancelled");
    CliHarness.Result get = cli.admin("commands", "get", id, "--output", "table");
    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(get.out()).containsPattern("(?m)^status\\s+cancelled$");

    CliHarness.Result again = cli.admin("commands", "cancel", id);
    assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(again.err()).startsWith("error: 409 Conflict");
  }

  @Test
  void get_of_an_unknown_command_is_a_404() {
    CliHarness.Result get = cli.admin("commands", "get", "no-such-command");

    assertThat(get.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(get.err()).startsWith("error: 404 Not Found");
  }
}
