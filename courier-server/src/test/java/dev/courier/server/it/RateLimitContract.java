package dev.courier.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.protocol.ProtocolJson;
import dev.courier.server.config.RateLimitSettings;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import dev.courier.server.testing.TestServer.EnrolledTestAgent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limits through the real server: failed logins per username and per source address, and
 * command creation per tenant, answered with 429, {@code Retry-After} and problem+json. Each test
 * gets its own server with small limits whose refill (one permit per many minutes) cannot happen
 * within a test.
 */
abstract class RateLimitContract {

  static final int FAILURES_PER_USER = 3;
  static final int FAILURES_PER_ADDRESS = 5;
  static final int COMMAND_BURST = 3;

  private TestServer server;
  private final HttpClient fromLoopback = HttpClient.newHttpClient();
  private HttpClient fromOtherAddress;

  abstract TestDatabases.Kind kind();

  @BeforeEach
  void startServer() throws IOException {
    server =
        TestServer.start(
            kind(),
            RateLimitSettings.defaults()
                .withCommands(1, COMMAND_BURST)
                .withLoginFailures(FAILURES_PER_USER, FAILURES_PER_ADDRESS, Duration.ofHours(2)));
    // The server listens on 127.0.0.1; connecting from 127.0.0.2 makes another source address.
    fromOtherAddress =
        HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.2")).build();
  }

  @AfterEach
  void stopServer() {
    fromLoopback.close();
    if (fromOtherAddress != null) {
      fromOtherAddress.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void wrong_passwords_for_one_user_end_in_429_problem_json_with_retry_after() {
    for (int i = 0; i < FAILURES_PER_USER; i++) {
      assertThat(login(fromLoopback, "admin", "wrong-" + i).statusCode()).isEqualTo(401);
    }

    HttpResponse<String> limited = login(fromLoopback, "admin", "wrong-again");

    assertRateLimited(limited, Duration.ofHours(2).dividedBy(FAILURES_PER_USER));
    assertThat(json(limited).path("detail").asText()).contains("too many failed logins");
  }

  @Test
  void the_right_password_is_refused_while_the_user_is_limited() {
    for (int i = 0; i < FAILURES_PER_USER; i++) {
      login(fromLoopback, "admin", "wrong-" + i);
    }

    assertThat(login(fromLoopback, "admin", TestServer.ADMIN_PASSWORD).statusCode()).isEqualTo(429);
    assertThat(login(fromOtherAddress, "admin", TestServer.ADMIN_PASSWORD).statusCode())
        .as("the username is limited from every address")
        .isEqualTo(429);
  }

  @Test
  void unknown_usernames_are_limited_like_known_ones() {
    for (int i = 0; i < FAILURES_PER_USER; i++) {
      assertThat(login(fromLoopback, "nobody", "guess-" + i).statusCode()).isEqualTo(401);
    }

    assertThat(login(fromLoopback, "nobody", "guess").statusCode()).isEqualTo(429);
  }

  @Test
  void one_limited_username_does_not_stop_another_user_at_the_same_address() {
    for (int i = 0; i < FAILURES_PER_USER; i++) {
      login(fromLoopback, "mallory", "guess-" + i);
    }
    assertThat(login(fromLoopback, "mallory", "guess").statusCode()).isEqualTo(429);

    assertThat(login(fromLoopback, "admin", TestServer.ADMIN_PASSWORD).statusCode()).isEqualTo(200);
  }

  @Test
  void failures_spread_over_usernames_limit_that_address_but_not_another_one() {
    int failures = 0;
    for (String user : new String[] {"alice", "bob", "carol"}) {
      for (int i = 0; i < 2 && failures < FAILURES_PER_ADDRESS; i++, failures++) {
        assertThat(login(fromLoopback, user, "guess-" + i).statusCode()).isEqualTo(401);
      }
    }

    assertRateLimited(
        login(fromLoopback, "dave", "guess"), Duration.ofHours(2).dividedBy(FAILURES_PER_ADDRESS));
    assertThat(login(fromLoopback, "admin", TestServer.ADMIN_PASSWORD).statusCode()).isEqualTo(429);
    assertThat(login(fromOtherAddress, "admin", TestServer.ADMIN_PASSWORD).statusCode())
        .isEqualTo(200);
  }

  @Test
  void successful_logins_do_not_use_up_the_allowance() {
    for (int i = 0; i < 3 * FAILURES_PER_ADDRESS; i++) {
      assertThat(login(fromLoopback, "admin", TestServer.ADMIN_PASSWORD).statusCode())
          .isEqualTo(200);
    }

    for (int i = 0; i < FAILURES_PER_USER; i++) {
      assertThat(login(fromLoopback, "admin", "wrong-" + i).statusCode()).isEqualTo(401);
    }
    assertThat(login(fromLoopback, "admin", "wrong").statusCode()).isEqualTo(429);
  }

  @Test
  void creating_commands_past_the_tenant_allowance_is_429_with_retry_after() {
    EnrolledTestAgent agent = server.enrollAgent("busy");
    for (int i = 0; i < COMMAND_BURST; i++) {
      ApiClient.Response created = createCommand(agent, null);
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    String token =
        json(login(fromLoopback, "admin", TestServer.ADMIN_PASSWORD)).path("access_token").asText();
    HttpResponse<String> limited =
        post(fromLoopback, "/api/v1/commands", commandBody(agent, null), token);

    assertRateLimited(limited, Duration.ofMinutes(1));
    assertThat(json(limited).path("detail").asText()).contains("per minute");
    assertThat(
            server.admin().get("/api/v1/commands?agent_id=" + agent.id()).json().path("commands"))
        .hasSize(COMMAND_BURST);
  }

  @Test
  void an_idempotent_replay_is_answered_while_the_tenant_is_limited_and_costs_nothing() {
    EnrolledTestAgent agent = server.enrollAgent("replayed");
    ApiClient.Response original = createCommand(agent, "nightly-1");
    assertThat(original.status()).isEqualTo(201);
    for (int i = 0; i < 5; i++) {
      ApiClient.Response replay = createCommand(agent, "nightly-1");
      assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
    }
    for (int i = 1; i < COMMAND_BURST; i++) {
      assertThat(createCommand(agent, "other-" + i).status()).isEqualTo(201);
    }

    assertThat(createCommand(agent, "new-key").status()).isEqualTo(429);
    ApiClient.Response replay = createCommand(agent, "nightly-1");
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.text("id")).isEqualTo(original.text("id"));
  }

  @Test
  void a_refused_request_does_not_use_up_the_allowance() {
    EnrolledTestAgent agent = server.enrollAgent("careful");
    for (int i = 0; i < 2 * COMMAND_BURST; i++) {
      ApiClient.Response invalid =
          server
              .admin()
              .post("/api/v1/commands", Map.of("agent_id", agent.id(), "type", "no_such_type"));
      assertThat(invalid.status()).isEqualTo(400);
    }

    for (int i = 0; i < COMMAND_BURST; i++) {
      assertThat(createCommand(agent, null).status()).isEqualTo(201);
    }
  }

  private ApiClient.Response createCommand(EnrolledTestAgent agent, String idempotencyKey) {
    return server.admin().post("/api/v1/commands", commandBody(agent, idempotencyKey));
  }

  private static Map<String, Object> commandBody(EnrolledTestAgent agent, String idempotencyKey) {
    Map<String, Object> body = new HashMap<>();
    body.put("agent_id", agent.id());
    body.put("type", "health_check");
    if (idempotencyKey != null) {
      body.put("idempotency_key", idempotencyKey);
    }
    return body;
  }

  private static void assertRateLimited(HttpResponse<String> response, Duration atMost) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(json(response).path("status").asInt()).isEqualTo(429);
    String retryAfter = response.headers().firstValue("Retry-After").orElseThrow();
    assertThat(retryAfter).matches("[0-9]+");
    assertThat(Long.parseLong(retryAfter)).isBetween(1L, atMost.toSeconds());
  }

  private HttpResponse<String> login(HttpClient client, String username, String password) {
    return post(
        client, "/api/v1/auth/login", Map.of("username", username, "password", password), null);
  }

  private HttpResponse<String> post(
      HttpClient client, String path, Map<String, Object> body, String bearer) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      ProtocolJson.mapper().writeValueAsString(body)));
      if (bearer != null) {
        request.header("Authorization", "Bearer " + bearer);
      }
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return ProtocolJson.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
