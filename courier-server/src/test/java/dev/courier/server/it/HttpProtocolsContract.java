package dev.courier.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.ProtocolJson;
import dev.courier.protocol.envelope.EnvelopeKeys;
import dev.courier.protocol.envelope.EnvelopeVerifier;
import dev.courier.protocol.http.PolledCommand;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestServer.EnrolledTestAgent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed 004 poll contract and the seed 000 heartbeat contract, driven with plain HTTP as the
 * seeds' clients would, against the real server.
 */
abstract class HttpProtocolsContract extends RealServerContract {

  private String create(EnrolledTestAgent agent, Map<String, Object> body) {
    ApiClient.Response created = server.admin().post("/api/v1/commands", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.text("status")).isEqualTo("pending");
    return created.text("id");
  }

  @Test
  void poll_acknowledge_result_round_trip_follows_seed_004() throws Exception {
    EnrolledTestAgent agent = server.enrollAgent("poller");
    ApiClient asAgent = server.api().as(agent.key());
    String id =
        create(
            agent,
            Map.of(
                "agent_id",
                agent.id(),
                "type",
                "echo",
                "params",
                Map.of("message", "hi"),
                "priority",
                "high"));

    ApiClient.Response poll = asAgent.get("/api/v1/commands?status=pending&limit=10");
    assertThat(poll.status()).isEqualTo(200);
    assertThat(poll.json().path("poll_interval_seconds").asInt()).isPositive();
    JsonNode polled = poll.json().path("commands").get(0);
    assertThat(polled.path("id").asText()).isEqualTo(id);
    assertThat(polled.path("type").asText()).isEqualTo("echo");
    assertThat(polled.path("priority").asText()).isEqualTo("high");
    assertThat(polled.path("payload").path("message").asText()).isEqualTo("hi");
    assertThat(polled.path("expires_at").asText()).isNotEmpty();
    PolledCommand envelope = ProtocolJson.mapper().treeToValue(polled, PolledCommand.class);
    assertThat(
            new EnvelopeVerifier(
                    EnvelopeKeys.decodePublic(agent.serverPublicKey()),
                    AgentId.of(agent.id()),
                    Clock.systemUTC())
                .verify(envelope.toEnvelope())
                .isValid())
        .isTrue();

    ApiClient.Response ack =
        asAgent.post(
            "/api/v1/commands/" + id + "/acknowledge",
            Map.of("started_at", Instant.now().toString()));
    assertThat(ack.json().path("acknowledged").asBoolean()).isTrue();
    assertThat(ack.text("command_id")).isEqualTo(id);
    assertThat(asAgent.post("/api/v1/commands/" + id + "/acknowledge", "{}").status())
        .as("a second acknowledge must not let the command run twice")
        .isEqualTo(409);
    assertThat(asAgent.get("/api/v1/commands?status=pending").json().path("commands")).isEmpty();

    Map<String, Object> result =
        Map.of(
            "status",
            "completed",
            "completed_at",
            Instant.now().toString(),
            "duration_ms",
            5,
            "exit_code",
            0,
            "findings_count",
            0,
            "summary",
            "hi",
            "metadata",
            Map.of("echoed", true));
    ApiClient.Response reported = asAgent.post("/api/v1/commands/" + id + "/result", result);
    assertThat(reported.status()).isEqualTo(200);
    assertThat(reported.json().path("accepted").asBoolean()).isTrue();
    assertThat(asAgent.post("/api/v1/commands/" + id + "/result", result).body())
        .as("the same result again gets the same answer")
        .isEqualTo(reported.body());

    JsonNode stored = server.admin().get("/api/v1/commands/" + id).json();
    assertThat(stored.path("status").asText()).isEqualTo("completed");
    assertThat(stored.path("result").path("exit_code").asInt()).isZero();
    assertThat(stored.path("result").path("summary").asText()).isEqualTo("hi");
    assertThat(stored.path("result").path("metadata").path("echoed").asBoolean()).isTrue();
    assertThat(stored.path("attempt").asInt()).isEqualTo(1);

    JsonNode agentView = server.admin().get("/api/v1/agents/" + agent.id()).json();
    assertThat(agentView.path("counters").path("commands_completed").asLong()).isEqualTo(1);
  }

  @Test
  void a_polling_agent_counts_as_online() {
    EnrolledTestAgent agent = server.enrollAgent("poll-presence");
    assertThat(server.admin().get("/api/v1/agents/" + agent.id()).text("status"))
        .isEqualTo("offline");
    assertThat(server.api().as(agent.key()).get("/api/v1/commands?status=pending").status())
        .isEqualTo(200);
    assertThat(server.admin().get("/api/v1/agents/" + agent.id()).text("status"))
        .isEqualTo("online");
  }

  @Test
  void a_heartbeat_hands_out_no_more_commands_than_its_limit() {
    EnrolledTestAgent agent = server.enrollAgent("heartbeat-limit");
    for (int i = 0; i < 3; i++) {
      create(
          agent, Map.of("agent_id", agent.id(), "type", "echo", "params", Map.of("message", "m")));
    }
    ApiClient asAgent = server.api().as(agent.key());
    JsonNode first = asAgent.post("/api/v1/agents/heartbeat?limit=2", Map.of()).json();
    assertThat(first.path("pending_commands")).hasSize(2);
    JsonNode second = asAgent.post("/api/v1/agents/heartbeat?limit=2", Map.of()).json();
    assertThat(second.path("pending_commands")).hasSize(1);
    JsonNode busy = asAgent.post("/api/v1/agents/heartbeat?limit=0", Map.of()).json();
    assertThat(busy.path("pending_commands")).isEmpty();
    assertThat(asAgent.post("/api/v1/agents/heartbeat?limit=101", Map.of()).text("field"))
        .isEqualTo("limit");
  }

  @Test
  void heartbeat_hands_out_commands_as_accepted_and_takes_results_seed_000() {
    EnrolledTestAgent agent = server.enrollAgent("heartbeater");
    ApiClient asAgent = server.api().as(agent.key());
    ApiClient.Response requested =
        server
            .admin()
            .post(
                "/api/v1/commands",
                Map.of(
                    "asset_id",
                    agent.id(),
                    "command_type",
                    "collect_inventory",
                    "idempotency_key",
                    "inv-1"));
    assertThat(requested.status()).isEqualTo(201);
    String id = requested.text("id");

    ApiClient.Response beat =
        asAgent.post(
            "/api/v1/agents/heartbeat", Map.of("hostname", "heartbeater", "version", "1.0"));
    assertThat(beat.status()).isEqualTo(200);
    assertThat(beat.json().path("pending_commands")).hasSize(1);
    assertThat(beat.json().path("pending_commands").get(0).path("id").asText()).isEqualTo(id);
    assertThat(server.admin().get("/api/v1/commands/" + id).text("status")).isEqualTo("accepted");

    asAgent.post(
        "/api/v1/agents/heartbeat",
        Map.of("command_results", List.of(Map.of("command_id", id, "status", "running"))));
    assertThat(server.admin().get("/api/v1/commands/" + id).text("status")).isEqualTo("running");

    ApiClient.Response last =
        asAgent.post(
            "/api/v1/agents/heartbeat",
            Map.of(
                "command_results",
                List.of(
                    Map.of(
                        "command_id", id,
                        "status", "succeeded",
                        "result_summary", "debian 12, 2 cpus"))));
    assertThat(last.json().path("pending_commands")).isEmpty();
    JsonNode stored =
        server
            .admin()
            .get("/api/v1/commands?asset_id=" + agent.id())
            .json()
            .path("commands")
            .get(0);
    assertThat(stored.path("status").asText()).isEqualTo("completed");
    assertThat(stored.path("result_summary").asText()).isEqualTo("debian 12, 2 cpus");
    assertThat(server.admin().get("/api/v1/agents/" + agent.id()).text("status"))
        .isEqualTo("online");
  }

  @Test
  void the_same_idempotency_key_returns_the_original_and_a_different_body_conflicts() {
    EnrolledTestAgent agent = server.enrollAgent("idempotent");
    Map<String, Object> body =
        Map.of(
            "asset_id", agent.id(), "command_type", "collect_telemetry", "idempotency_key", "same");
    ApiClient.Response first = server.admin().post("/api/v1/commands", body);
    ApiClient.Response again = server.admin().post("/api/v1/commands", body);
    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.text("id")).isEqualTo(first.text("id"));

    ApiClient.Response different =
        server
            .admin()
            .post(
                "/api/v1/commands",
                Map.of(
                    "asset_id",
                    agent.id(),
                    "command_type",
                    "health_check",
                    "idempotency_key",
                    "same"));
    assertThat(different.status()).isEqualTo(409);
    assertThat(different.text("field")).isEqualTo("idempotency_key");
  }

  @Test
  void a_command_that_expires_while_its_agent_is_away_is_never_handed_out() {
    EnrolledTestAgent agent = server.enrollAgent("away");
    String id =
        create(
            agent,
            Map.of(
                "agent_id", agent.id(),
                "type", "echo",
                "expires_at", Instant.now().plusSeconds(1).toString()));

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> server.admin().get("/api/v1/commands/" + id).text("status").equals("expired"));
    ApiClient asAgent = server.api().as(agent.key());
    assertThat(asAgent.get("/api/v1/commands?status=pending").json().path("commands")).isEmpty();
    assertThat(asAgent.post("/api/v1/commands/" + id + "/acknowledge", "{}").status())
        .isEqualTo(409);
  }

  @Test
  void cancelling_a_pending_command_ends_it_and_a_final_command_cannot_be_cancelled() {
    EnrolledTestAgent agent = server.enrollAgent("cancel-pending");
    String id = create(agent, Map.of("agent_id", agent.id(), "type", "echo"));

    ApiClient.Response cancelled = server.admin().delete("/api/v1/commands/" + id);
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.text("status")).isEqualTo("cancelled");
    assertThat(server.admin().delete("/api/v1/commands/" + id).status()).isEqualTo(409);
    assertThat(
            server
                .api()
                .as(agent.key())
                .post("/api/v1/commands/" + id + "/acknowledge", "{}")
                .status())
        .isEqualTo(409);
  }

  @Test
  void the_server_times_out_a_running_command_whose_agent_goes_silent() {
    EnrolledTestAgent agent = server.enrollAgent("silent");
    ApiClient asAgent = server.api().as(agent.key());
    String id = create(agent, Map.of("agent_id", agent.id(), "type", "echo", "timeout_seconds", 1));
    asAgent.post("/api/v1/commands/" + id + "/acknowledge", "{}");
    asAgent.post("/api/v1/commands/" + id + "/status", Map.of("status", "running"));

    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> server.admin().get("/api/v1/commands/" + id).text("status").equals("timed_out"));
    assertThat(server.admin().get("/api/v1/commands/" + id).text("error")).contains("timeout");
  }

  @Test
  void wait_returns_the_final_result_when_the_agent_answers_in_time() throws Exception {
    EnrolledTestAgent agent = server.enrollAgent("synchronous");
    ApiClient asAgent = server.api().as(agent.key());
    Thread fakeAgent =
        Thread.ofVirtual()
            .start(
                () -> {
                  await()
                      .atMost(Duration.ofSeconds(10))
                      .until(
                          () -> !asAgent.get("/api/v1/commands").json().path("commands").isEmpty());
                  String id =
                      asAgent
                          .get("/api/v1/commands")
                          .json()
                          .path("commands")
                          .get(0)
                          .path("id")
                          .asText();
                  asAgent.post("/api/v1/commands/" + id + "/acknowledge", "{}");
                  asAgent.post(
                      "/api/v1/commands/" + id + "/result",
                      Map.of(
                          "status",
                          "completed",
                          "completed_at",
                          Instant.now().toString(),
                          "exit_code",
                          0,
                          "summary",
                          "pulled"));
                });

    ApiClient.Response answer =
        server
            .admin()
            .post(
                "/api/v1/commands?wait=30s",
                Map.of(
                    "agent_id",
                    agent.id(),
                    "type",
                    "git_pull",
                    "params",
                    Map.of("repository_path", "/srv/app")));
    fakeAgent.join(Duration.ofSeconds(30));

    assertThat(answer.status()).isEqualTo(201);
    assertThat(answer.text("status")).isEqualTo("completed");
    assertThat(answer.json().path("result").path("summary").asText()).isEqualTo("pulled");
  }

  @Test
  void bad_input_gets_problem_json_naming_the_field() {
    EnrolledTestAgent agent = server.enrollAgent("bad-input");
    EnrolledTestAgent other = server.enrollAgent("other-agent");
    ApiClient admin = server.admin();

    assertProblem(
        admin.post("/api/v1/commands", Map.of("agent_id", agent.id(), "type", "rm_rf")),
        400,
        "type");
    assertProblem(
        admin.post(
            "/api/v1/commands",
            Map.of("agent_id", agent.id(), "type", "git_pull", "params", Map.of())),
        400,
        "params.repository_path");
    assertProblem(
        admin.post("/api/v1/commands", Map.of("agent_id", "no-such-agent", "type", "echo")),
        400,
        "agent_id");
    assertProblem(admin.post("/api/v1/commands", Map.of("type", "echo")), 400, "agent_id");
    assertProblem(
        admin.post(
            "/api/v1/commands",
            Map.of("agent_id", agent.id(), "type", "echo", "priority", "urgent")),
        400,
        "priority");
    assertProblem(
        admin.post(
            "/api/v1/commands",
            Map.of("agent_id", agent.id(), "type", "echo", "timeout_seconds", 0)),
        400,
        "timeout_seconds");
    assertProblem(
        admin.post("/api/v1/commands?wait=forever", Map.of("agent_id", agent.id(), "type", "echo")),
        400,
        "wait");
    assertThat(admin.post("/api/v1/commands", "{not json").status()).isEqualTo(400);
    assertThat(admin.post("/api/v1/commands", "x".repeat(2 * 1024 * 1024)).status()).isEqualTo(413);

    assertThat(server.api().as("cak_wrong").get("/api/v1/commands").status()).isEqualTo(401);
    assertThat(server.api().get("/api/v1/commands").status()).isEqualTo(401);
    String othersCommand = create(other, Map.of("agent_id", other.id(), "type", "echo"));
    assertProblem(
        server
            .api()
            .as(agent.key())
            .post("/api/v1/commands/" + othersCommand + "/acknowledge", "{}"),
        404,
        "id");
    assertThat(server.api().as(agent.key()).get("/api/v1/commands/" + othersCommand).status())
        .as("agent keys cannot use the operator API")
        .isEqualTo(403);
  }

  private static void assertProblem(ApiClient.Response response, int status, String field) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.text("field")).as(response.toString()).isEqualTo(field);
    assertThat(response.text("detail")).isNotBlank();
  }

  @Test
  void local_runs_join_the_agents_command_history_once_each() {
    EnrolledTestAgent agent = server.enrollAgent("standalone");
    ApiClient asAgent = server.api().as(agent.key());
    Map<String, Object> run =
        Map.of(
            "local_run_id", "nightly-2026-11-23T02:00Z",
            "schedule", "nightly",
            "type", "collect_inventory",
            "params", Map.of("sections", List.of("os")),
            "started_at", "2026-11-23T02:00:00Z",
            "result",
                Map.of(
                    "status", "completed",
                    "completed_at", "2026-11-23T02:00:03Z",
                    "exit_code", 0,
                    "summary", "os collected"));

    ApiClient.Response first =
        asAgent.post("/api/v1/agents/local-runs", Map.of("runs", List.of(run)));
    ApiClient.Response again =
        asAgent.post("/api/v1/agents/local-runs", Map.of("runs", List.of(run)));

    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    String id = first.json().get("command_ids").get(0).asText();
    assertThat(again.json().get("command_ids").get(0).asText()).isEqualTo(id);
    JsonNode history =
        server.admin().get("/api/v1/agents/" + agent.id() + "/commands").json().get("commands");
    assertThat(history).hasSize(1);
    JsonNode recorded = history.get(0);
    assertThat(recorded.get("id").asText()).isEqualTo(id);
    assertThat(recorded.get("status").asText()).isEqualTo("completed");
    assertThat(recorded.get("type").asText()).isEqualTo("collect_inventory");
    assertThat(recorded.get("result").get("summary").asText()).isEqualTo("os collected");
    assertThat(server.admin().get("/api/v1/agents/" + agent.id()).json().toString())
        .contains("\"commands_completed\":1");

    ApiClient.Response bad =
        asAgent.post(
            "/api/v1/agents/local-runs",
            Map.of(
                "runs",
                List.of(
                    run,
                    Map.of(
                        "local_run_id",
                        "no spaces allowed",
                        "type",
                        "echo",
                        "result",
                        Map.of("status", "completed")))));
    assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
    assertThat(bad.text("field")).isEqualTo("runs[1].local_run_id");
  }
}
