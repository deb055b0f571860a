package dev.courier.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.MutableClock;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import dev.courier.server.user.Role;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Schedules through the public API on a server whose clock the test moves. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ScheduleContract {

  static final Instant START = Instant.parse("2026-11-23T09:59:30Z");

  final MutableClock clock = MutableClock.at(START);
  TestServer server;

  abstract TestDatabases.Kind kind();

  @BeforeAll
  void startServer() {
    server = TestServer.start(kind(), clock);
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  record Tenant(TenantId id, ApiClient operator, String agentId) {}

  Tenant tenant() {
    TenantId tenant = server.createTenant();
    String agent = server.enrollAgent(tenant, "scheduled").id();
    return new Tenant(tenant, server.loginAs(tenant, Role.OPERATOR), agent);
  }

  static Map<String, Object> everyMinute(String agentId, String policy) {
    return Map.of(
        "name", "inventory",
        "cron_expression", "* * * * *",
        "timezone", "Europe/Berlin",
        "type", "echo",
        "params", Map.of("message", "tick"),
        "selector", Map.of("agent_ids", List.of(agentId)),
        "missed_run_policy", policy);
  }

  int rolloutsOf(String scheduleId) throws SQLException {
    try (Connection connection = DriverManager.getConnection(server.database().jdbcUrl());
        PreparedStatement count =
            connection.prepareStatement("SELECT COUNT(*) FROM rollouts WHERE schedule_id = ?")) {
      count.setString(1, scheduleId);
      try (ResultSet rows = count.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  @Test
  void a_schedule_shows_its_next_runs_and_fires_one_rollout_per_due_time() throws Exception {
    // Other tests move the clock: start 30 s before a minute boundary.
    Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    clock.set(minute.minusSeconds(30));
    Tenant tenant = tenant();
    ApiClient.Response created =
        tenant.operator().post("/api/v1/schedules", everyMinute(tenant.agentId(), "run_once"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode schedule = created.json();
    String id = schedule.get("id").asText();
    assertThat(schedule.get("next_run_at").asText()).isEqualTo(minute.toString());
    assertThat(schedule.get("upcoming_runs")).hasSize(5);

    clock.advance(Duration.ofSeconds(31));
    server.server().scheduler().fireDue();
    server.server().scheduler().fireDue();

    assertThat(rolloutsOf(id)).isEqualTo(1);
    JsonNode after = tenant.operator().get("/api/v1/schedules/" + id).json();
    assertThat(after.get("last_run_at").asText()).isEqualTo(minute.plusSeconds(1).toString());
    assertThat(after.get("next_run_at").asText()).isEqualTo(minute.plusSeconds(60).toString());
    JsonNode rollouts = tenant.operator().get("/api/v1/rollouts?schedule_id=" + id).json();
    assertThat(rollouts.get("rollouts")).hasSize(1);
    assertThat(rollouts.get("rollouts").get(0).get("target_count").asInt()).isEqualTo(1);
  }

  @Test
  void after_an_outage_run_once_fires_once_and_skip_fires_nothing() throws Exception {
    Tenant tenant = tenant();
    String once =
        tenant
            .operator()
            .post("/api/v1/schedules", everyMinute(tenant.agentId(), "run_once"))
            .text("id");
    String skip =
        tenant
            .operator()
            .post("/api/v1/schedules", everyMinute(tenant.agentId(), "skip"))
            .text("id");
    int onceBefore = rolloutsOf(once);

    clock.advance(Duration.ofHours(1));
    server.server().scheduler().fireDue();
    // The server's own periodic runner fires schedules too: on PostgreSQL a row it holds is
    // skipped (SKIP LOCKED) by the call above, which can return before that runner commits.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> nextRunOf(tenant, once).isAfter(clock.instant()));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> nextRunOf(tenant, skip).isAfter(clock.instant()));

    assertThat(rolloutsOf(once)).isEqualTo(onceBefore + 1);
    assertThat(rolloutsOf(skip)).isZero();
  }

  private static Instant nextRunOf(Tenant tenant, String scheduleId) throws Exception {
    return Instant.parse(
        tenant
            .operator()
            .get("/api/v1/schedules/" + scheduleId)
            .json()
            .get("next_run_at")
            .asText());
  }

  @Test
  void disabling_stops_firing_and_bad_fields_are_named() throws Exception {
    Tenant tenant = tenant();
    String id =
        tenant
            .operator()
            .post("/api/v1/schedules", everyMinute(tenant.agentId(), "run_once"))
            .text("id");
    ApiClient.Response disabled =
        tenant.operator().patch("/api/v1/schedules/" + id, Map.of("enabled", false));
    assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
    assertThat(disabled.json().get("next_run_at")).isNull();
    int before = rolloutsOf(id);
    clock.advance(Duration.ofMinutes(5));
    server.server().scheduler().fireDue();
    assertThat(rolloutsOf(id)).isEqualTo(before);

    for (Map.Entry<String, Map<String, Object>> bad :
        Map.<String, Map<String, Object>>of(
                "cron_expression",
                Map.of("cron_expression", "every day"),
                "timezone",
                Map.of("timezone", "Mars/Olympus"),
                "missed_run_policy",
                Map.of("missed_run_policy", "catch_up"))
            .entrySet()) {
      ApiClient.Response response =
          tenant.operator().patch("/api/v1/schedules/" + id, bad.getValue());
      assertThat(response.status()).as(response.toString()).isEqualTo(400);
      assertThat(response.text("field")).isEqualTo(bad.getKey());
    }
    ApiClient auditor = server.loginAs(tenant.id(), Role.AUDITOR);
    assertThat(auditor.get("/api/v1/schedules/" + id).status()).isEqualTo(200);
    assertThat(auditor.patch("/api/v1/schedules/" + id, Map.of("enabled", true)).status())
        .isEqualTo(403);
    assertThat(tenant.operator().delete("/api/v1/schedules/" + id).status()).isEqualTo(204);
    assertThat(tenant.operator().get("/api/v1/schedules/" + id).status()).isEqualTo(404);
  }

  @Test
  void scan_schedules_speak_seed_004s_field_names() {
    Tenant tenant = tenant();
    ApiClient admin = server.loginAs(tenant.id(), Role.TENANT_ADMIN);
    ApiClient.Response created =
        admin.post(
            "/api/v1/scan-schedules",
            Map.of(
                "name", "nightly secrets",
                "description", "gitleaks over the checkout",
                "scanner", "gitleaks",
                "target", "/srv/app",
                "config", Map.of("severity_threshold", "high"),
                "cron_expression", "0 0 * * *",
                "timezone", "UTC"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode schedule = created.json();
    assertThat(schedule.get("scanner").asText()).isEqualTo("gitleaks");
    assertThat(schedule.get("target").asText()).isEqualTo("/srv/app");
    assertThat(schedule.get("config").get("severity_threshold").asText()).isEqualTo("high");
    assertThat(schedule.get("enabled").asBoolean()).isTrue();
    assertThat(schedule.get("next_run_at").asText())
        .isEqualTo(
            clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)).toString());

    JsonNode listed = admin.get("/api/v1/scan-schedules").json().get("schedules");
    assertThat(listed.findValuesAsText("id")).contains(schedule.get("id").asText());
    JsonNode generic = admin.get("/api/v1/schedules/" + schedule.get("id").asText()).json();
    assertThat(generic.get("type").asText()).isEqualTo("scan");
  }
}
