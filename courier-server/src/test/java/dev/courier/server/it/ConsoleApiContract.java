package dev.courier.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestServer.EnrolledTestAgent;
import dev.courier.server.user.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What the operator console reads besides the long-standing routes: the live event stream (tenant
 * scoped, filtered, resumable), the agents list's search, label filter and counts, the command
 * types with their schemas, and the schedule preview.
 */
abstract class ConsoleApiContract extends RealServerContract {

  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private record Tenant(TenantId id, ApiClient operator, EnrolledTestAgent agent) {}

  private Tenant tenant(String hostname) {
    TenantId id = server.createTenant();
    return new Tenant(id, server.loginAs(id, Role.OPERATOR), server.enrollAgent(id, hostname));
  }

  private static String echo(ApiClient operator, String agentId) {
    ApiClient.Response created =
        operator.post(
            "/api/v1/commands",
            Map.of("agent_id", agentId, "type", "echo", "params", Map.of("message", "hi")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private static List<ApiClient.SseEvent> replay(ApiClient client, String query) {
    return client.events("/api/v1/events?follow=false&" + query, null, "none", PATIENCE);
  }

  @Test
  void a_follower_sees_a_command_move_live_from_requested_to_accepted() throws Exception {
    Tenant a = tenant("live-host");
    ApiClient agent = server.api().as(a.agent().key());
    CompletableFuture<List<ApiClient.SseEvent>> stream =
        CompletableFuture.supplyAsync(
            () ->
                a.operator()
                    .events(
                        "/api/v1/events?after=0&types=command.*&agent_id=" + a.agent().id(),
                        null,
                        "command.accepted",
                        PATIENCE));
    String command = echo(a.operator(), a.agent().id());
    assertThat(agent.post("/api/v1/commands/" + command + "/acknowledge", Map.of()).status())
        .isEqualTo(200);

    List<ApiClient.SseEvent> events = stream.get();
    assertThat(events)
        .extracting(ApiClient.SseEvent::name)
        .containsExactly("command.requested", "command.accepted");
    JsonNode accepted = events.getLast().json();
    assertThat(accepted.get("subject_id").asText()).isEqualTo(command);
    assertThat(accepted.get("tenant_id").asText()).isEqualTo(a.id().value());
    assertThat(accepted.at("/payload/status").asText()).isEqualTo("accepted");
    assertThat(Long.parseLong(events.getLast().id()))
        .isGreaterThan(Long.parseLong(events.getFirst().id()));
  }

  @Test
  void a_tenant_sees_only_its_own_events_and_a_system_admin_picks_one_tenant() {
    Tenant a = tenant("iso-a");
    Tenant b = tenant("iso-b");
    String commandA = echo(a.operator(), a.agent().id());
    String commandB = echo(b.operator(), b.agent().id());

    String seenByB = String.valueOf(replay(b.operator(), "after=0"));
    assertThat(seenByB).contains(commandB).doesNotContain(commandA, a.agent().id(), a.id().value());
    ApiClient.Response foreign = b.operator().get("/api/v1/events?tenant_id=" + a.id().value());
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.text("field")).isEqualTo("tenant_id");

    String seenByAdmin = String.valueOf(replay(server.admin(), "after=0&tenant_id=" + a.id()));
    assertThat(seenByAdmin).contains(commandA).doesNotContain(commandB);
  }

  @Test
  void a_reader_resumes_after_its_last_event_id_and_filters_narrow_the_stream() {
    Tenant a = tenant("resume-host");
    String first = echo(a.operator(), a.agent().id());
    String second = echo(a.operator(), a.agent().id());
    List<ApiClient.SseEvent> all = replay(a.operator(), "after=0&types=command.requested");
    assertThat(all).extracting(e -> e.json().get("subject_id").asText()).contains(first, second);
    assertThat(all).allSatisfy(e -> assertThat(e.name()).isEqualTo("command.requested"));

    ApiClient.SseEvent firstEvent =
        all.stream()
            .filter(e -> e.json().get("subject_id").asText().equals(first))
            .findFirst()
            .orElseThrow();
    List<ApiClient.SseEvent> resumed =
        a.operator()
            .events(
                "/api/v1/events?follow=false&types=command.requested",
                firstEvent.id(),
                "none",
                PATIENCE);
    assertThat(resumed)
        .extracting(e -> e.json().get("subject_id").asText())
        .contains(second)
        .doesNotContain(first);

    assertThat(replay(a.operator(), "after=0&command_id=" + second))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.json().get("subject_id").asText()).isEqualTo(second));
    assertThat(a.operator().get("/api/v1/events?after=-1").status()).isEqualTo(400);
  }

  @Test
  void the_agents_list_searches_filters_by_label_and_counts() {
    TenantId id = server.createTenant();
    ApiClient admin = server.loginAs(id, Role.TENANT_ADMIN);
    ApiClient.Response token =
        admin.post(
            "/api/v1/enrollment-tokens", Map.of("max_uses", 3, "labels", Map.of("env", "prod")));
    for (String host : List.of("web-01", "web-02", "db-01")) {
      ApiClient.Response enrolled =
          server
              .api()
              .post(
                  "/api/v1/agents/enroll",
                  Map.of(
                      "enrollment_token",
                      token.text("token"),
                      "hostname",
                      host,
                      "labels",
                      Map.of("role", host.substring(0, host.indexOf('-')))));
      assertThat(enrolled.status()).as(enrolled.toString()).isEqualTo(201);
    }

    assertThat(hostnames(admin.get("/api/v1/agents?q=WEB"))).containsOnly("web-01", "web-02");
    assertThat(hostnames(admin.get("/api/v1/agents?labels=role=db,env=prod")))
        .containsExactly("db-01");
    assertThat(hostnames(admin.get("/api/v1/agents?labels=env=staging"))).isEmpty();
    assertThat(hostnames(admin.get("/api/v1/agents?q=web&limit=1"))).hasSize(1);
    assertThat(admin.get("/api/v1/agents?labels=nonsense").status()).isEqualTo(400);

    JsonNode counts = admin.get("/api/v1/agents/summary").json();
    assertThat(counts.get("total").asInt()).isEqualTo(3);
    assertThat(counts.get("offline").asInt()).isEqualTo(3);
    assertThat(counts.get("online").asInt()).isZero();
  }

  private static List<String> hostnames(ApiClient.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json().get("agents").findValuesAsText("hostname");
  }

  @Test
  void command_types_carry_their_parameter_schemas() {
    ApiClient operator = server.loginAs(server.createTenant(), Role.AUDITOR);
    JsonNode types = operator.get("/api/v1/command-types").json().get("command_types");
    assertThat(types.findValuesAsText("name")).contains("echo", "git_pull", "collect_inventory");
    JsonNode gitPull = operator.get("/api/v1/command-types/git_pull").json();
    assertThat(gitPull.at("/params_schema/required/0").asText()).isEqualTo("repository_path");
    assertThat(operator.get("/api/v1/command-types/rm_rf").status()).isEqualTo(404);
  }

  @Test
  void the_schedule_preview_describes_the_expression_and_lists_the_next_runs() {
    ApiClient operator = server.loginAs(server.createTenant(), Role.OPERATOR);
    JsonNode preview =
        operator
            .get("/api/v1/schedules/preview?cron_expression=30+2+*+*+1&timezone=Europe/Paris")
            .json();
    assertThat(preview.get("description").asText()).containsIgnoringCase("monday");
    List<Instant> runs = iso(preview.get("next_runs"));
    assertThat(runs).hasSize(5).isSorted();
    ApiClient.Response bad = operator.get("/api/v1/schedules/preview?cron_expression=61+*+*+*+*");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.text("field")).isEqualTo("cron_expression");
    assertThat(
            operator
                .get("/api/v1/schedules/preview?cron_expression=0+*+*+*+*&timezone=Mars/Base")
                .text("field"))
        .isEqualTo("timezone");
  }

  @Test
  void the_console_is_served_at_the_root_with_a_strict_content_security_policy() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    try (http) {
      java.net.http.HttpResponse<String> index = fetch(http, "/");
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
      assertThat(index.body()).contains("<script type=\"module\" src=\"/console/app.js\">");
      String policy = index.headers().firstValue("Content-Security-Policy").orElse("");
      assertThat(policy).contains("script-src 'self'").contains("frame-ancestors 'none'");
      assertThat(policy).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");

      java.net.http.HttpResponse<String> script = fetch(http, "/console/app.js");
      assertThat(script.statusCode()).isEqualTo(200);
      assertThat(script.headers().firstValue("Content-Type").orElse(""))
          .startsWith("text/javascript");
      assertThat(script.headers().firstValue("X-Content-Type-Options")).contains("nosniff");

      assertThat(fetch(http, "/console/missing.js").statusCode()).isEqualTo(404);
      assertThat(fetch(http, "/console/..%2Fopenapi.json").statusCode()).isEqualTo(404);
      assertThat(fetch(http, "/console/logback.xml").statusCode()).isEqualTo(404);
      assertThat(fetch(http, "/webjars/xterm/4.9.0/lib/xterm.js").statusCode()).isEqualTo(200);
    }
  }

  private java.net.http.HttpResponse<String> fetch(java.net.http.HttpClient http, String path)
      throws Exception {
    return http.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + path)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  private static List<Instant> iso(JsonNode array) {
    List<Instant> out = new java.util.ArrayList<>();
    array.forEach(node -> out.add(Instant.parse(node.asText())));
    return out;
  }
}
