package dev.courier.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.server.command.Command;
import dev.courier.server.command.CommandRepository;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.user.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Rollouts through the public API, with agents speaking the seed 004 HTTP protocol (poll,
 * acknowledge, result) in this process: concurrency and error limits, exact counts, canaries,
 * cancel, and priority lanes.
 */
abstract class RolloutContract extends RealServerContract {

  private static final List<String> STATES =
      List.of(
          "queued",
          "pending",
          "accepted",
          "running",
          "cancelling",
          "completed",
          "failed",
          "timed_out",
          "cancelled",
          "expired",
          "skipped");

  /** An enrolled agent and the client that speaks as it. */
  record Agent(String id, ApiClient client) {}

  record Fleet(TenantId tenant, ApiClient operator, List<Agent> agents) {
    Agent agent(String id) {
      return agents.stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }
  }

  private Fleet fleet(int size, Map<String, String> labels) {
    TenantId tenant = server.createTenant();
    ApiClient admin = server.loginAs(tenant, Role.TENANT_ADMIN);
    ApiClient.Response token =
        admin.post("/api/v1/enrollment-tokens", Map.of("max_uses", size, "labels", labels));
    assertThat(token.status()).as(token.toString()).isEqualTo(201);
    List<Agent> agents = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ApiClient.Response enrolled =
          server
              .api()
              .post(
                  "/api/v1/agents/enroll",
                  Map.of("enrollment_token", token.text("token"), "hostname", "host-" + i));
      assertThat(enrolled.status()).as(enrolled.toString()).isEqualTo(201);
      agents.add(new Agent(enrolled.text("agent_id"), server.api().as(enrolled.text("agent_key"))));
    }
    return new Fleet(tenant, server.loginAs(tenant, Role.OPERATOR), agents);
  }

  private CommandRepository commands() {
    return server.database().repositories(Clock.systemUTC()).commands();
  }

  private static JsonNode create(ApiClient operator, Map<String, Object> body) {
    ApiClient.Response created = operator.post("/api/v1/rollouts", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json();
  }

  private static Map<String, Object> echoRollout(Map<String, Object> selector) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("selector", selector);
    body.put("type", "echo");
    body.put("params", Map.of("message", "hello"));
    return body;
  }

  /** Every target is in exactly one state, so the states add up to the targets. */
  private static void assertCountsAddUp(JsonNode rollout) {
    JsonNode counts = rollout.get("counts");
    int sum = 0;
    for (String state : STATES) {
      sum += counts.get(state).asInt();
    }
    assertThat(sum).as(rollout.toString()).isEqualTo(rollout.get("target_count").asInt());
  }

  private static int inFlight(JsonNode rollout) {
    JsonNode counts = rollout.get("counts");
    return counts.get("pending").asInt()
        + counts.get("accepted").asInt()
        + counts.get("running").asInt()
        + counts.get("cancelling").asInt();
  }

  /** The agent acknowledges and reports the child as an agent would, succeeding or failing. */
  private static void answer(Agent agent, Command child, boolean succeed) {
    String path = "/api/v1/commands/" + child.id().value();
    ApiClient.Response ack =
        agent.client().post(path + "/acknowledge", Map.of("started_at", Instant.now().toString()));
    assertThat(ack.status()).as(ack.toString()).isEqualTo(200);
    Map<String, Object> result = new HashMap<>();
    result.put("status", succeed ? "completed" : "failed");
    result.put("exit_code", succeed ? 0 : 1);
    result.put("duration_ms", 1);
    result.put("summary", succeed ? "ok" : "boom");
    ApiClient.Response reported = agent.client().post(path + "/result", result);
    assertThat(reported.status()).as(reported.toString()).isEqualTo(200);
  }

  /**
   * Drives the fleet until the rollout ends: in each round every dispatched child is answered.
   * Checks the concurrency limit and the counts at every step.
   *
   * @return the largest number of children seen in flight
   */
  private int drive(Fleet fleet, String rolloutId, int maxConcurrency, Predicate<Agent> fails) {
    int maxSeen = 0;
    for (int round = 0; round < 10_000; round++) {
      JsonNode rollout = fleet.operator().get("/api/v1/rollouts/" + rolloutId).json();
      assertCountsAddUp(rollout);
      List<Command> open = commands().unfinishedInRollout(rolloutId, 10_000);
      maxSeen = Math.max(maxSeen, Math.max(open.size(), inFlight(rollout)));
      assertThat(open.size()).isLessThanOrEqualTo(maxConcurrency);
      if (open.isEmpty()) {
        if (Set.of("completed", "failed", "cancelled").contains(rollout.get("status").asText())) {
          return maxSeen;
        }
        // A slot freed by the last result is filled after its commit; give the sweep a moment.
        sleep(20);
        continue;
      }
      for (Command child : open) {
        Agent agent = fleet.agent(child.agentId().value());
        answer(agent, child, !fails.test(agent));
      }
    }
    throw new AssertionError("the rollout did not finish");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void a_thousand_agents_never_have_more_than_max_concurrency_children_in_flight() {
    Fleet fleet = fleet(1000, Map.of("role", "web"));
    Map<String, Object> body = echoRollout(Map.of("labels", "role=web"));
    body.put("max_concurrency", 50);
    JsonNode created = create(fleet.operator(), body);
    assertThat(created.get("target_count").asInt()).isEqualTo(1000);
    assertThat(inFlight(created)).isEqualTo(50);
    assertThat(created.get("counts").get("queued").asInt()).isEqualTo(950);

    int maxSeen = drive(fleet, created.get("id").asText(), 50, agent -> false);

    JsonNode done = fleet.operator().get("/api/v1/rollouts/" + created.get("id").asText()).json();
    assertThat(maxSeen).isEqualTo(50);
    assertThat(done.get("status").asText()).isEqualTo("completed");
    assertThat(done.get("counts").get("completed").asInt()).isEqualTo(1000);
    assertThat(done.get("progress_percent").asInt()).isEqualTo(100);
    assertCountsAddUp(done);
  }

  @Test
  void dispatch_stops_once_errors_exceed_max_errors_and_the_counts_add_up_exactly() {
    Fleet fleet = fleet(200, Map.of());
    Set<String> failing = new java.util.HashSet<>();
    for (int i = 0; i < fleet.agents().size(); i += 4) {
      failing.add(fleet.agents().get(i).id());
    }
    Map<String, Object> body = echoRollout(Map.of("all", true));
    body.put("max_concurrency", "10%");
    body.put("max_errors", 5);
    JsonNode created = create(fleet.operator(), body);
    assertThat(created.get("max_concurrency").asInt()).isEqualTo(20);

    drive(fleet, created.get("id").asText(), 20, agent -> failing.contains(agent.id()));

    JsonNode done = fleet.operator().get("/api/v1/rollouts/" + created.get("id").asText()).json();
    JsonNode counts = done.get("counts");
    assertThat(done.get("status").asText()).isEqualTo("failed");
    assertThat(done.get("reason").asText()).contains("max_errors is 5");
    assertThat(counts.get("failed").asInt()).isGreaterThan(5);
    assertThat(counts.get("skipped").asInt()).isPositive();
    assertThat(counts.get("queued").asInt()).isZero();
    assertThat(inFlight(done)).isZero();
    assertCountsAddUp(done);
    int dispatched = fleet.agents().size() - counts.get("skipped").asInt();
    assertThat(counts.get("completed").asInt() + counts.get("failed").asInt())
        .isEqualTo(dispatched);
  }

  @Test
  void a_failed_canary_stops_the_rest_and_a_good_one_lets_it_continue() {
    Fleet fleet = fleet(6, Map.of());
    Map<String, Object> body = echoRollout(Map.of("all", true));
    body.put("canary", 2);
    JsonNode bad = create(fleet.operator(), body);
    assertThat(bad.get("status").asText()).isEqualTo("canary");
    assertThat(inFlight(bad)).isEqualTo(2);

    drive(fleet, bad.get("id").asText(), 2, agent -> true);
    JsonNode badDone = fleet.operator().get("/api/v1/rollouts/" + bad.get("id").asText()).json();
    assertThat(badDone.get("status").asText()).isEqualTo("failed");
    assertThat(badDone.get("counts").get("skipped").asInt()).isEqualTo(4);

    JsonNode good = create(fleet.operator(), body);
    drive(fleet, good.get("id").asText(), 6, agent -> false);
    JsonNode goodDone = fleet.operator().get("/api/v1/rollouts/" + good.get("id").asText()).json();
    assertThat(goodDone.get("status").asText()).isEqualTo("completed");
    assertThat(goodDone.get("counts").get("completed").asInt()).isEqualTo(6);
  }

  @Test
  void cancelling_skips_the_queue_and_cancels_the_children_in_flight() {
    Fleet fleet = fleet(5, Map.of());
    String other = create(fleet.operator(), echoRollout(Map.of("all", true))).get("id").asText();
    Map<String, Object> body = echoRollout(Map.of("all", true));
    body.put("max_concurrency", 2);
    JsonNode created = create(fleet.operator(), body);
    String id = created.get("id").asText();

    ApiClient.Response cancelled = fleet.operator().delete("/api/v1/rollouts/" + id);

    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    JsonNode rollout = cancelled.json();
    assertThat(rollout.get("status").asText()).isEqualTo("cancelled");
    assertThat(rollout.get("counts").get("skipped").asInt()).isEqualTo(3);
    assertThat(rollout.get("counts").get("cancelled").asInt()).isEqualTo(2);
    assertCountsAddUp(rollout);
    assertThat(commands().unfinishedInRollout(id, 10)).isEmpty();
    JsonNode children = fleet.operator().get("/api/v1/commands?rollout_id=" + id).json();
    assertThat(children.get("commands"))
        .as("only this rollout's children, not those of %s", other)
        .hasSize(2)
        .allSatisfy(child -> assertThat(child.get("rollout_id").asText()).isEqualTo(id));
    ApiClient.Response again = fleet.operator().delete("/api/v1/rollouts/" + id);
    assertThat(again.status()).as("cancelling twice changes nothing").isEqualTo(200);
    assertThat(again.json().get("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void a_high_priority_command_overtakes_an_agents_queued_rollout_children() {
    Fleet fleet = fleet(1, Map.of());
    Agent agent = fleet.agents().getFirst();
    create(fleet.operator(), echoRollout(Map.of("agent_ids", List.of(agent.id()))));
    create(fleet.operator(), echoRollout(Map.of("agent_ids", List.of(agent.id()))));
    ApiClient.Response urgent =
        fleet
            .operator()
            .post(
                "/api/v1/commands",
                Map.of(
                    "agent_id",
                    agent.id(),
                    "type",
                    "echo",
                    "priority",
                    "high",
                    "params",
                    Map.of("message", "now")));
    assertThat(urgent.status()).isEqualTo(201);

    JsonNode polled = agent.client().get("/api/v1/commands?status=pending&limit=1").json();

    assertThat(polled.get("commands").get(0).get("id").asText()).isEqualTo(urgent.text("id"));
    JsonNode all = agent.client().get("/api/v1/commands?status=pending&limit=10").json();
    assertThat(all.get("commands")).hasSize(3);
  }

  @Test
  void labels_edited_through_the_api_decide_what_a_selector_picks() {
    Fleet fleet = fleet(3, Map.of("env", "staging"));
    String promoted = fleet.agents().get(1).id();
    ApiClient admin = server.loginAs(fleet.tenant(), Role.TENANT_ADMIN);
    ApiClient.Response patched =
        admin.patch(
            "/api/v1/agents/" + promoted, Map.of("labels", Map.of("env", "prod", "os", "linux")));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(patched.json().get("labels").get("env").asText()).isEqualTo("prod");

    JsonNode preview =
        fleet
            .operator()
            .get("/api/v1/rollouts/preview?labels=" + encode("env in (prod,qa),os=linux"))
            .json();
    assertThat(preview.get("count").asInt()).isEqualTo(1);
    assertThat(preview.get("agent_ids").get(0).asText()).isEqualTo(promoted);

    JsonNode created = create(fleet.operator(), echoRollout(Map.of("labels", "env!=prod")));
    assertThat(created.get("target_count").asInt()).isEqualTo(2);
  }

  @Test
  void bad_requests_name_the_field_and_another_tenants_agent_is_forbidden() {
    Fleet fleet = fleet(1, Map.of());
    Fleet other = fleet(1, Map.of());

    Map<String, Integer> expected = new LinkedHashMap<>();
    Map<String, Map<String, Object>> bodies = new LinkedHashMap<>();
    bodies.put("selector.labels", echoRollout(Map.of("labels", "env in (prod")));
    expected.put("selector.labels", 400);
    bodies.put("selector", echoRollout(Map.of("labels", "nobody=here")));
    expected.put("selector", 400);
    Map<String, Object> badLimit = echoRollout(Map.of("all", true));
    badLimit.put("max_concurrency", "150%");
    bodies.put("max_concurrency", badLimit);
    expected.put("max_concurrency", 400);
    Map<String, Object> badType = echoRollout(Map.of("all", true));
    badType.put("type", "rm_rf");
    bodies.put("type", badType);
    expected.put("type", 400);
    bodies.put(
        "selector.agent_ids",
        echoRollout(Map.of("agent_ids", List.of(other.agents().getFirst().id()))));
    expected.put("selector.agent_ids", 403);

    for (Map.Entry<String, Map<String, Object>> bad : bodies.entrySet()) {
      ApiClient.Response response = fleet.operator().post("/api/v1/rollouts", bad.getValue());
      assertThat(response.status()).as(response.toString()).isEqualTo(expected.get(bad.getKey()));
      assertThat(response.text("field")).as(response.toString()).isEqualTo(bad.getKey());
    }
    String othersRollout =
        create(other.operator(), echoRollout(Map.of("all", true))).get("id").asText();
    assertThat(fleet.operator().get("/api/v1/rollouts/" + othersRollout).status()).isEqualTo(404);
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }
}
