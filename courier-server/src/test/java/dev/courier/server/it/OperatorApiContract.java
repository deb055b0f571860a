package dev.courier.server.it;

import static dev.courier.server.testing.ApiClient.ids;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.server.events.Event;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestServer;
import dev.courier.server.testing.TestServer.EnrolledTestAgent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The operator side of DESIGN.md §4: login, enrollment tokens, agents and command listing, driven
 * through the public API of a real server.
 */
abstract class OperatorApiContract extends RealServerContract {

  @Test
  void login_returns_a_bearer_token_and_a_wrong_password_is_401_problem_json() {
    ApiClient.Response ok =
        server
            .api()
            .post(
                "/api/v1/auth/login",
                Map.of("username", "admin", "password", TestServer.ADMIN_PASSWORD));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.text("token_type")).isEqualToIgnoringCase("bearer");
    assertThat(ok.json().path("expires_in").asLong()).isPositive();
    assertThat(ok.text("access_token")).contains(".");

    ApiClient.Response wrong =
        server.api().post("/api/v1/auth/login", Map.of("username", "admin", "password", "not-it"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.contentType()).startsWith("application/problem+json");

    ApiClient.Response missing = server.api().post("/api/v1/auth/login", Map.of("username", "x"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.text("field")).isEqualTo("password");
  }

  @Test
  void a_known_path_with_the_wrong_method_is_405_and_an_unknown_path_404() {
    ApiClient.Response wrongMethod = server.admin().post("/healthz", Map.of());
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.contentType()).startsWith("application/problem+json");
    ApiClient.Response unknown = server.admin().get("/api/v1/nothing-here");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");
  }

  @Test
  void a_refused_request_with_a_large_body_keeps_the_connection_alive() throws IOException {
    byte[] body = ("{\"type\":\"echo\",\"pad\":\"" + "a".repeat(200_000) + "\"}").getBytes(UTF_8);
    URI base = URI.create(server.baseUrl());
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
      for (int i = 0; i < 2; i++) {
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST /api/v1/commands HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: "
                    + body.length
                    + "\r\n\r\n")
                .getBytes(UTF_8));
        out.write(body);
        out.flush();
        assertThat(in.readLine()).as("answer %d on one connection", i).startsWith("HTTP/1.1 401");
        int length = 0;
        for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
          assertThat(line).doesNotContainIgnoringCase("connection: close");
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring("content-length:".length()).trim());
          }
        }
        assertThat(in.skip(length)).isEqualTo(length);
      }
    }
  }

  @Test
  void every_operator_endpoint_requires_a_valid_token() {
    for (String path : List.of("/api/v1/commands", "/api/v1/agents", "/api/v1/enrollment-tokens")) {
      ApiClient.Response anonymous = server.api().get(path);
      assertThat(anonymous.status()).as(path).isEqualTo(401);
      assertThat(anonymous.contentType()).startsWith("application/problem+json");
      assertThat(server.api().as("not.a.jwt").get(path).status()).as(path).isEqualTo(401);
    }
  }

  @Test
  void an_agent_key_cannot_use_operator_endpoints() {
    EnrolledTestAgent agent = server.enrollAgent("not-an-operator");
    ApiClient asAgent = server.api().as(agent.key());
    assertThat(asAgent.get("/api/v1/agents").status()).isIn(401, 403);
    assertThat(
            asAgent
                .post("/api/v1/commands", Map.of("agent_id", agent.id(), "type", "echo"))
                .status())
        .isIn(401, 403);
  }

  @Test
  void an_enrollment_token_is_shown_once_counts_its_uses_and_stops_at_max_uses() {
    ApiClient.Response created =
        server
            .admin()
            .post(
                "/api/v1/enrollment-tokens",
                Map.of("max_uses", 1, "expires_in_seconds", 600, "labels", Map.of("env", "lab")));
    assertThat(created.status()).isEqualTo(201);
    String secret = created.text("token");
    String id = created.text("id");

    ApiClient.Response first = enroll(secret, "first-host");
    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    assertThat(first.text("agent_key")).startsWith("cak_");
    assertThat(first.text("server_public_key")).isNotBlank();
    ApiClient.Response second = enroll(secret, "second-host");
    assertThat(second.status()).isIn(401, 403);
    assertThat(second.contentType()).startsWith("application/problem+json");

    JsonNode listed = tokenById(id);
    assertThat(listed.path("uses").asInt()).isEqualTo(1);
    assertThat(listed.has("token")).as("the secret is never listed").isFalse();

    JsonNode agent = server.admin().get("/api/v1/agents/" + first.text("agent_id")).json();
    assertThat(agent.path("labels").path("env").asText()).isEqualTo("lab");
  }

  @Test
  void a_revoked_enrollment_token_no_longer_enrolls() {
    ApiClient.Response created =
        server.admin().post("/api/v1/enrollment-tokens", Map.of("max_uses", 5));
    String id = created.text("id");
    assertThat(server.admin().delete("/api/v1/enrollment-tokens/" + id).status()).isEqualTo(204);
    assertThat(tokenById(id).path("revoked_at").isNull()).isFalse();
    assertThat(enroll(created.text("token"), "late-host").status()).isIn(401, 403);
    assertThat(server.admin().delete("/api/v1/enrollment-tokens/no-such-token").status())
        .isIn(400, 404);
  }

  @Test
  void a_system_admin_lists_and_revokes_another_tenants_enrollment_tokens() {
    String tenant = server.createTenant().value();
    ApiClient.Response created =
        server
            .admin()
            .post("/api/v1/enrollment-tokens", Map.of("tenant_id", tenant, "max_uses", 1));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.text("id");

    JsonNode listed = server.admin().get("/api/v1/enrollment-tokens?tenant_id=" + tenant).json();
    assertThat(ids(listed.path("enrollment_tokens"))).containsExactly(id);
    assertThat(
            ids(server.admin().get("/api/v1/enrollment-tokens").json().path("enrollment_tokens")))
        .doesNotContain(id);
    assertThat(server.admin().delete("/api/v1/enrollment-tokens/" + id).status()).isEqualTo(204);
    assertThat(enroll(created.text("token"), "too-late").status()).isIn(401, 403);
  }

  @Test
  void bad_enrollment_token_requests_name_the_field() {
    ApiClient.Response negative =
        server.admin().post("/api/v1/enrollment-tokens", Map.of("max_uses", 0));
    assertThat(negative.status()).isEqualTo(400);
    assertThat(negative.text("field")).isEqualTo("max_uses");
    ApiClient.Response noHostname =
        server.api().post("/api/v1/agents/enroll", Map.of("enrollment_token", "x"));
    assertThat(noHostname.status()).isEqualTo(400);
    assertThat(noHostname.text("field")).isEqualTo("hostname");
  }

  @Test
  void agents_list_get_and_history_show_presence_and_counters() {
    EnrolledTestAgent agent = server.enrollAgent("history-host");
    ApiClient asAgent = server.api().as(agent.key());
    assertThat(
            asAgent
                .post(
                    "/api/v1/agents/heartbeat",
                    Map.of("version", "9.9.9", "capabilities", List.of("echo")))
                .status())
        .isEqualTo(200);

    String id = create(agent, "echo", Map.of("message", "one"));
    assertThat(asAgent.post("/api/v1/commands/" + id + "/acknowledge", Map.of()).status())
        .isEqualTo(200);
    assertThat(
            asAgent
                .post(
                    "/api/v1/commands/" + id + "/result",
                    Map.of("status", "completed", "exit_code", 0, "output", "one"))
                .status())
        .isEqualTo(200);

    JsonNode view = server.admin().get("/api/v1/agents/" + agent.id()).json();
    assertThat(view.path("status").asText()).isEqualTo("online");
    assertThat(view.path("version").asText()).isEqualTo("9.9.9");
    assertThat(view.path("capabilities").get(0).asText()).isEqualTo("echo");
    assertThat(view.path("last_heartbeat_at").asText()).isNotBlank();
    assertThat(view.path("counters").path("commands_completed").asLong()).isEqualTo(1);

    JsonNode history = server.admin().get("/api/v1/agents/" + agent.id() + "/commands").json();
    assertThat(history.path("commands").get(0).path("id").asText()).isEqualTo(id);

    ApiClient.Response online = server.admin().get("/api/v1/agents?status=online");
    assertThat(ids(online.json().path("agents"))).contains(agent.id());
    assertThat(server.admin().get("/api/v1/agents?status=asleep").text("field"))
        .isEqualTo("status");
    assertThat(server.admin().get("/api/v1/agents/" + "no-such-agent").status()).isIn(400, 404);
  }

  @Test
  void the_command_list_filters_and_pages_with_a_cursor_without_gaps_or_repeats() {
    EnrolledTestAgent agent = server.enrollAgent("paging-host");
    Set<String> created = new HashSet<>();
    for (int i = 0; i < 7; i++) {
      created.add(create(agent, "echo", Map.of("message", "m" + i)));
    }
    List<String> seen = new ArrayList<>();
    String cursor = "";
    int pages = 0;
    do {
      ApiClient.Response page =
          server
              .admin()
              .get(
                  "/api/v1/commands?agent_id="
                      + agent.id()
                      + "&status=pending&type=echo&limit=3"
                      + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      seen.addAll(ids(page.json().path("commands")));
      cursor = page.text("next_cursor");
      pages++;
    } while (!cursor.isEmpty() && pages < 10);
    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
    assertThat(pages).isEqualTo(3);

    assertThat(server.admin().get("/api/v1/commands?limit=0").text("field")).isEqualTo("limit");
    assertThat(server.admin().get("/api/v1/commands?status=sleeping").text("field"))
        .isEqualTo("status");
    for (String garbage : List.of("not-a-cursor", "eHl6", "OjEyMw")) {
      ApiClient.Response bad = server.admin().get("/api/v1/commands?cursor=" + garbage);
      assertThat(bad.status()).as(garbage).isEqualTo(400);
      assertThat(bad.text("field")).isEqualTo("cursor");
    }
    assertThat(server.admin().get("/api/v1/agents?cursor=eHl6").text("field")).isEqualTo("cursor");
  }

  @Test
  void seed_status_aliases_are_accepted_as_filters() {
    EnrolledTestAgent agent = server.enrollAgent("alias-host");
    String id = create(agent, "echo", Map.of("message", "alias"));
    JsonNode requested =
        server.admin().get("/api/v1/commands?agent_id=" + agent.id() + "&status=requested").json();
    assertThat(ids(requested.path("commands"))).containsExactly(id);
  }

  @Test
  void every_transition_appends_its_event_in_order() {
    EnrolledTestAgent agent = server.enrollAgent("events-host");
    ApiClient asAgent = server.api().as(agent.key());
    String id = create(agent, "echo", Map.of("message", "evt"));
    asAgent.post("/api/v1/commands/" + id + "/acknowledge", Map.of());
    asAgent.post("/api/v1/commands/" + id + "/status", Map.of("status", "running"));
    asAgent.post("/api/v1/commands/" + id + "/result", Map.of("status", "failed", "error", "no"));
    String cancelled = create(agent, "echo", Map.of("message", "cancel me"));
    server.admin().delete("/api/v1/commands/" + cancelled);

    List<Event> events =
        server.database().repositories(Clock.systemUTC()).events().readAfter(0, 10_000);
    assertThat(events.stream().filter(e -> id.equals(e.subjectId())).map(Event::type))
        .containsExactly(
            "command.requested", "command.accepted", "command.running", "command.failed");
    assertThat(events.stream().filter(e -> cancelled.equals(e.subjectId())).map(Event::type))
        .containsExactly("command.requested", "command.cancelled");
  }

  private ApiClient.Response enroll(String secret, String hostname) {
    return server
        .api()
        .post("/api/v1/agents/enroll", Map.of("enrollment_token", secret, "hostname", hostname));
  }

  private JsonNode tokenById(String id) {
    for (JsonNode token :
        server.admin().get("/api/v1/enrollment-tokens").json().path("enrollment_tokens")) {
      if (token.path("id").asText().equals(id)) {
        return token;
      }
    }
    throw new AssertionError("token " + id + " not listed");
  }

  private String create(EnrolledTestAgent agent, String type, Map<String, Object> params) {
    ApiClient.Response created =
        server
            .admin()
            .post(
                "/api/v1/commands", Map.of("agent_id", agent.id(), "type", type, "params", params));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }
}
