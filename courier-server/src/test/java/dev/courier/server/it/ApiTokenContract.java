package dev.courier.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.MutableClock;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import dev.courier.server.user.Role;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** API tokens for automation, against a real server whose clock the test moves. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiTokenContract {

  final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MILLIS));
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

  private ApiClient operator() {
    return server.loginAs(server.createTenant(), Role.OPERATOR);
  }

  private static ApiClient.Response create(
      ApiClient client, List<String> permissions, Long expiresInSeconds) {
    Map<String, Object> body =
        expiresInSeconds == null
            ? Map.of("name", "ci", "permissions", permissions)
            : Map.of(
                "name", "ci", "permissions", permissions, "expires_in_seconds", expiresInSeconds);
    return client.post("/api/v1/api-tokens", body);
  }

  private static String secret(ApiClient client, List<String> permissions) {
    ApiClient.Response created = create(client, permissions, null);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("token");
  }

  @Test
  void a_token_acts_within_its_scope_and_is_refused_outside_it() {
    ApiClient user = operator();
    ApiClient.Response created = create(user, List.of("commands:read"), null);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.text("token")).startsWith("cat_");
    assertThat(created.json().path("permissions").toString()).isEqualTo("[\"commands:read\"]");
    assertThat(Instant.parse(created.text("expires_at")))
        .isEqualTo(Instant.parse(created.text("created_at")).plus(Duration.ofDays(90)));
    ApiClient script = server.api().as(created.text("token"));

    assertThat(script.get("/api/v1/commands").status()).isEqualTo(200);
    ApiClient.Response outside = script.get("/api/v1/agents");
    assertThat(outside.status()).as(outside.toString()).isEqualTo(403);
    assertThat(outside.text("field")).isEqualTo("permissions");
    assertThat(script.post("/api/v1/commands", Map.of("agent_id", "x", "type", "echo")).status())
        .isEqualTo(403);
    // The user's own login still holds the whole role.
    assertThat(user.get("/api/v1/agents").status()).isEqualTo(200);
  }

  @Test
  void a_scope_beyond_the_users_role_or_an_empty_or_unknown_one_is_refused_at_creation() {
    ApiClient user = operator();

    ApiClient.Response beyond = create(user, List.of("commands:read", "agents:write"), null);
    assertThat(beyond.status()).as(beyond.toString()).isEqualTo(403);
    assertThat(beyond.text("field")).isEqualTo("permissions");
    ApiClient.Response auditor =
        create(
            server.loginAs(server.createTenant(), Role.AUDITOR), List.of("commands:write"), null);
    assertThat(auditor.status()).isEqualTo(403);
    assertThat(auditor.text("field")).isEqualTo("permissions");
    for (List<String> bad : List.of(List.<String>of(), List.of("nothing:here"))) {
      ApiClient.Response refused = create(user, bad, null);
      assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
      assertThat(refused.text("field")).isEqualTo("permissions");
    }
    ApiClient.Response tooLong = create(user, List.of("commands:read"), 366L * 24 * 3600);
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.text("field")).isEqualTo("expires_in_seconds");
    assertThat(user.get("/api/v1/api-tokens").json().path("api_tokens")).isEmpty();
  }

  @Test
  void the_secret_is_shown_once_and_never_listed() {
    ApiClient user = operator();
    String secret = secret(user, List.of("commands:read"));

    ApiClient.Response listed = user.get("/api/v1/api-tokens");

    assertThat(listed.status()).isEqualTo(200);
    JsonNode tokens = listed.json().path("api_tokens");
    assertThat(tokens).hasSize(1);
    assertThat(tokens.get(0).has("token")).isFalse();
    assertThat(tokens.get(0).path("name").asText()).isEqualTo("ci");
    assertThat(listed.body()).doesNotContain(secret).doesNotContain(secret.substring(4));
  }

  @Test
  void a_revoked_token_is_401_and_only_its_owner_or_a_system_admin_may_revoke_it() {
    ApiClient user = operator();
    ApiClient.Response created = create(user, List.of("commands:read"), null);
    String id = created.text("id");
    ApiClient script = server.api().as(created.text("token"));
    assertThat(script.get("/api/v1/commands").status()).isEqualTo(200);

    assertThat(operator().delete("/api/v1/api-tokens/" + id).status()).isEqualTo(404);
    assertThat(user.delete("/api/v1/api-tokens/" + id).status()).isEqualTo(204);
    assertThat(user.delete("/api/v1/api-tokens/" + id).status()).isEqualTo(404);

    assertThat(script.get("/api/v1/commands").status()).isEqualTo(401);
    assertThat(
            user.get("/api/v1/api-tokens")
                .json()
                .path("api_tokens")
                .get(0)
                .hasNonNull("revoked_at"))
        .isTrue();

    String other = create(user, List.of("commands:read"), null).text("id");
    assertThat(server.admin().delete("/api/v1/api-tokens/" + other).status()).isEqualTo(204);
  }

  @Test
  void an_expired_token_is_401() {
    ApiClient user = operator();
    ApiClient.Response created = create(user, List.of("commands:read"), 60L);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    ApiClient script = server.api().as(created.text("token"));
    assertThat(script.get("/api/v1/commands").status()).isEqualTo(200);

    clock.advance(Duration.ofSeconds(61));

    ApiClient.Response expired = script.get("/api/v1/commands");
    assertThat(expired.status()).as(expired.toString()).isEqualTo(401);
  }

  @Test
  void last_used_at_is_recorded_at_most_once_a_minute() {
    ApiClient user = operator();
    ApiClient script = server.api().as(secret(user, List.of("commands:read")));
    assertThat(
            user.get("/api/v1/api-tokens")
                .json()
                .path("api_tokens")
                .get(0)
                .hasNonNull("last_used_at"))
        .isFalse();

    Instant first = clock.instant();
    assertThat(script.get("/api/v1/commands").status()).isEqualTo(200);
    assertThat(lastUsed(user)).isEqualTo(first);

    clock.advance(Duration.ofSeconds(30));
    assertThat(script.get("/api/v1/commands").status()).isEqualTo(200);
    assertThat(lastUsed(user)).isEqualTo(first);

    clock.advance(Duration.ofSeconds(31));
    assertThat(script.get("/api/v1/commands").status()).isEqualTo(200);
    assertThat(lastUsed(user)).isEqualTo(clock.instant());
  }

  private static Instant lastUsed(ApiClient user) {
    return Instant.parse(
        user.get("/api/v1/api-tokens")
            .json()
            .path("api_tokens")
            .get(0)
            .path("last_used_at")
            .asText());
  }

  @Test
  void an_api_token_cannot_create_api_tokens() {
    ApiClient script = server.api().as(secret(operator(), List.of("commands:read")));

    ApiClient.Response refused = create(script, List.of("commands:read"), null);

    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    assertThat(script.get("/api/v1/api-tokens").status()).isEqualTo(200);
  }

  @Test
  void every_api_token_route_requires_a_credential() {
    assertThat(server.api().get("/api/v1/api-tokens").status()).isEqualTo(401);
    assertThat(create(server.api(), List.of("commands:read"), null).status()).isEqualTo(401);
    assertThat(server.api().delete("/api/v1/api-tokens/01ABCDEF").status()).isEqualTo(401);
  }
}
