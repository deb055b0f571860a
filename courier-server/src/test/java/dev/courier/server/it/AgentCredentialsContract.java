package dev.courier.server.it;

import static dev.courier.server.testing.ApiClient.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.frame.AgentFrame;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.server.agent.AgentCredentials;
import dev.courier.server.events.Event;
import dev.courier.server.store.JdbcRepositories;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.MutableClock;
import dev.courier.server.testing.RawAgentSocket;
import dev.courier.server.testing.TestServer;
import dev.courier.server.testing.TestServer.EnrolledTestAgent;
import dev.courier.server.user.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agent credentials after enrollment, through the public API of a real server: tenant-scoped
 * enrollment, key rotation with a grace period, revocation that closes open sockets, and
 * decommissioning that cancels the agent's queue. The server runs on a clock the tests move, and a
 * test that moves it puts it back, so the other tests' access tokens stay valid.
 */
abstract class AgentCredentialsContract extends RealServerContract {

  private final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  private JdbcRepositories repos;

  @BeforeAll
  @Override
  void startServer() {
    server = TestServer.start(kind(), clock);
    repos = server.database().repositories(Clock.systemUTC());
  }

  @Test
  void an_enrollment_token_enrolls_agents_into_the_tenant_that_created_it_only() {
    TenantId tenant = server.createTenant();
    ApiClient tenantAdmin = server.loginAs(tenant, Role.TENANT_ADMIN);
    ApiClient stranger = server.loginAs(server.createTenant(), Role.TENANT_ADMIN);

    ApiClient.Response token = tenantAdmin.post("/api/v1/enrollment-tokens", Map.of());
    assertThat(token.status()).as(token.toString()).isEqualTo(201);
    assertThat(token.text("tenant_id")).isEqualTo(tenant.value());
    ApiClient.Response enrolled =
        server
            .api()
            .post(
                "/api/v1/agents/enroll",
                Map.of("enrollment_token", token.text("token"), "hostname", "scoped-host"));
    String agentId = enrolled.text("agent_id");

    assertThat(tenantAdmin.get("/api/v1/agents/" + agentId).text("tenant_id"))
        .isEqualTo(tenant.value());
    assertThat(stranger.get("/api/v1/agents/" + agentId).status()).isEqualTo(404);
    assertThat(ids(stranger.get("/api/v1/agents").json().path("agents"))).doesNotContain(agentId);
    assertThat(ids(stranger.get("/api/v1/enrollment-tokens").json().path("enrollment_tokens")))
        .doesNotContain(token.text("id"));
    ApiClient.Response foreign =
        stranger.post("/api/v1/enrollment-tokens", Map.of("tenant_id", tenant.value()));
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.text("field")).isEqualTo("tenant_id");
  }

  @Test
  void an_agent_rotates_its_own_key_and_gets_the_new_key_with_the_old_keys_expiry() {
    EnrolledTestAgent agent = server.enrollAgent("rotating-host");

    ApiClient.Response rotated = rotate(agent.id(), agent.key());

    assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
    assertThat(rotated.text("agent_id")).isEqualTo(agent.id());
    assertThat(rotated.text("agent_key")).startsWith("cak_").isNotEqualTo(agent.key());
    assertThat(Instant.parse(rotated.text("previous_key_expires_at")))
        .isEqualTo(clock.instant().plus(AgentCredentials.ROTATION_GRACE));
    assertThat(poll(rotated.text("agent_key"))).isEqualTo(200);
    assertThat(poll(agent.key())).isEqualTo(200);
    JsonNode view = server.admin().get("/api/v1/agents/" + agent.id()).json();
    assertThat(view.path("previous_key_expires_at").asText())
        .isEqualTo(rotated.text("previous_key_expires_at"));
    assertThat(events(agent.id())).contains("agent.key_rotated");
  }

  @Test
  void the_old_key_works_until_the_grace_ends_and_is_401_after() {
    EnrolledTestAgent agent = server.enrollAgent("grace-host");
    String newKey = rotate(agent.id(), agent.key()).text("agent_key");
    Instant start = clock.instant();
    try {
      clock.advance(AgentCredentials.ROTATION_GRACE.minusSeconds(1));
      assertThat(poll(agent.key())).isEqualTo(200);

      clock.advance(Duration.ofSeconds(2));
      ApiClient.Response late = server.api().as(agent.key()).get("/api/v1/commands");
      assertThat(late.status()).isEqualTo(401);
      assertThat(late.contentType()).startsWith("application/problem+json");
      assertThat(poll(newKey)).isEqualTo(200);
    } finally {
      clock.set(start);
    }
  }

  @Test
  void a_socket_open_on_the_old_key_is_closed_with_a_reason_when_the_grace_ends() {
    EnrolledTestAgent agent = server.enrollAgent("grace-socket-host");
    Instant start = clock.instant();
    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      assertThat(rotate(agent.id(), agent.key()).status()).isEqualTo(200);
      socket.send(new AgentFrame.Heartbeat(null, null, null, null, null));
      assertThat(socket.next(ServerFrame.Ack.class).of())
          .as("the socket carries on during the grace")
          .isEqualTo("heartbeat");

      clock.advance(AgentCredentials.ROTATION_GRACE.plusSeconds(1));

      ServerFrame.ErrorFrame why = socket.next(ServerFrame.ErrorFrame.class);
      assertThat(why.code()).isEqualTo("key_expired");
      assertThat(socket.closeCode()).isEqualTo(4401);
    } finally {
      clock.set(start);
    }
  }

  @Test
  void rotating_with_the_previous_key_in_its_grace_replaces_the_lost_key_without_a_longer_grace() {
    EnrolledTestAgent agent = server.enrollAgent("lost-answer-host");
    ApiClient.Response first = rotate(agent.id(), agent.key());
    clock.advance(Duration.ofMinutes(5));

    ApiClient.Response again = rotate(agent.id(), agent.key());

    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.text("previous_key_expires_at"))
        .isEqualTo(first.text("previous_key_expires_at"));
    assertThat(poll(first.text("agent_key"))).as("the key whose answer was lost").isEqualTo(401);
    assertThat(poll(again.text("agent_key"))).isEqualTo(200);
    assertThat(poll(agent.key())).isEqualTo(200);
  }

  @Test
  void only_the_agent_rotates_its_key_an_operator_is_told_to_revoke_instead() {
    EnrolledTestAgent agent = server.enrollAgent("operator-rotation-host");
    EnrolledTestAgent other = server.enrollAgent("other-agent-host");

    ApiClient.Response byOperator =
        server.admin().post("/api/v1/agents/" + agent.id() + "/rotate-key", Map.of());
    assertThat(byOperator.status()).isEqualTo(403);
    assertThat(byOperator.contentType()).startsWith("application/problem+json");
    assertThat(byOperator.text("detail")).contains("revoke");

    ApiClient.Response byOtherAgent = rotate(agent.id(), other.key());
    assertThat(byOtherAgent.status()).isEqualTo(404);
    assertThat(byOtherAgent.text("field")).isEqualTo("id");
    assertThat(rotate(agent.id(), "cak_not-a-key").status()).isEqualTo(401);
    assertThat(poll(agent.key())).as("nothing changed").isEqualTo(200);
  }

  @Test
  void revoking_makes_the_key_401_at_once_and_closes_the_open_socket_with_an_error_frame() {
    EnrolledTestAgent agent = server.enrollAgent("revoked-host");
    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);

      ApiClient.Response revoked = server.admin().post(revokePath(agent.id()), Map.of());

      assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
      assertThat(revoked.text("revoked_at")).isNotBlank();
      ServerFrame.ErrorFrame why = socket.next(ServerFrame.ErrorFrame.class);
      assertThat(why.code()).isEqualTo("revoked");
      assertThat(socket.closeCode()).isEqualTo(4401);
    }
    assertThat(poll(agent.key())).isEqualTo(401);
    assertThat(rotate(agent.id(), agent.key()).status()).isEqualTo(401);
    assertThatThrownBy(() -> RawAgentSocket.connect(server.webSocketUrl(), agent.key()))
        .as("the upgrade is refused")
        .isNotNull();
    assertThat(server.admin().post(revokePath(agent.id()), Map.of()).status())
        .as("revoking again answers the same")
        .isEqualTo(200);
    assertThat(events(agent.id())).containsOnlyOnce("agent.revoked");
  }

  @Test
  void decommissioning_cancels_the_queue_closes_the_socket_and_refuses_new_commands() {
    EnrolledTestAgent agent = server.enrollAgent("decommissioned-host");
    String running;
    String pending;
    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      running = createCommand(agent.id());
      CommandId runningId = CommandId.of(running);
      socket.next(ServerFrame.CommandDelivery.class);
      socket.send(
          new AgentFrame.CommandStatusReport(runningId, CommandStatus.ACCEPTED, Instant.now()));
      socket.next(ServerFrame.Ack.class);
      socket.send(
          new AgentFrame.CommandStatusReport(runningId, CommandStatus.RUNNING, Instant.now()));
      assertThat(socket.next(ServerFrame.Ack.class).status()).isEqualTo(CommandStatus.RUNNING);
      pending = createCommand(agent.id());
      socket.next(ServerFrame.CommandDelivery.class);

      ApiClient.Response gone = server.admin().delete("/api/v1/agents/" + agent.id());

      assertThat(gone.status()).as(gone.toString()).isEqualTo(200);
      assertThat(gone.json().path("queue").path("cancelled").asInt()).isEqualTo(1);
      assertThat(gone.json().path("queue").path("cancelling").asInt()).isEqualTo(1);
      assertThat(gone.json().path("agent").path("status").asText()).isEqualTo("decommissioned");
      assertThat(socket.next(ServerFrame.Cancel.class).commandId()).isEqualTo(runningId);
      assertThat(socket.next(ServerFrame.ErrorFrame.class).code()).isEqualTo("decommissioned");
      assertThat(socket.closeCode()).isEqualTo(4401);
    }
    assertThat(commandStatus(pending)).isEqualTo("cancelled");
    assertThat(commandStatus(running)).isEqualTo("cancelling");
    assertThat(events(pending)).containsExactly("command.requested", "command.cancelled");
    assertThat(events(running))
        .containsExactly(
            "command.requested", "command.accepted", "command.running", "command.cancelling");
    assertThat(events(agent.id())).contains("agent.decommissioned");

    ApiClient.Response refused =
        server.admin().post("/api/v1/commands", Map.of("agent_id", agent.id(), "type", "echo"));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.text("field")).isEqualTo("agent_id");
    assertThat(poll(agent.key())).isEqualTo(401);
  }

  @Test
  void a_decommissioned_agent_is_listed_only_when_asked_for_and_still_readable() {
    EnrolledTestAgent agent = server.enrollAgent("listed-host");
    assertThat(server.admin().delete("/api/v1/agents/" + agent.id()).status()).isEqualTo(200);

    assertThat(ids(server.admin().get("/api/v1/agents").json().path("agents")))
        .doesNotContain(agent.id());
    assertThat(
            ids(server.admin().get("/api/v1/agents?status=decommissioned").json().path("agents")))
        .contains(agent.id());
    JsonNode view = server.admin().get("/api/v1/agents/" + agent.id()).json();
    assertThat(view.path("status").asText()).isEqualTo("decommissioned");
    assertThat(view.path("decommissioned_at").asText()).isNotBlank();
    ApiClient.Response again = server.admin().delete("/api/v1/agents/" + agent.id());
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("queue").path("cancelled").asInt()).isZero();
    assertThat(events(agent.id())).containsOnlyOnce("agent.decommissioned");
  }

  @Test
  void another_tenants_operator_cannot_rotate_revoke_or_decommission_an_agent() {
    EnrolledTestAgent agent = server.enrollAgent("guarded-host");
    ApiClient stranger = server.loginAs(server.createTenant(), Role.TENANT_ADMIN);

    for (ApiClient.Response response :
        List.of(
            stranger.post("/api/v1/agents/" + agent.id() + "/rotate-key", Map.of()),
            stranger.post(revokePath(agent.id()), Map.of()),
            stranger.delete("/api/v1/agents/" + agent.id()))) {
      assertThat(response.status()).as(response.toString()).isEqualTo(404);
      assertThat(response.text("field")).isEqualTo("id");
    }
    assertThat(poll(agent.key())).as("the agent is untouched").isEqualTo(200);
  }

  @Test
  void an_auditor_cannot_revoke_or_decommission_and_unknown_agents_are_404() {
    EnrolledTestAgent agent = server.enrollAgent("audited-host");
    ApiClient auditor = server.loginAs(TenantId.of(agentTenant(agent)), Role.AUDITOR);

    assertThat(auditor.post(revokePath(agent.id()), Map.of()).status()).isEqualTo(403);
    assertThat(auditor.delete("/api/v1/agents/" + agent.id()).status()).isEqualTo(403);
    assertThat(poll(agent.key())).isEqualTo(200);
    ApiClient.Response unknown = server.admin().post(revokePath("no-such-agent"), Map.of());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.text("field")).isEqualTo("id");
    assertThat(server.admin().delete("/api/v1/agents/no-such-agent").status()).isEqualTo(404);
    assertThat(server.api().post(revokePath(agent.id()), Map.of()).status()).isEqualTo(401);
  }

  private ApiClient.Response rotate(String agentId, String key) {
    return server.api().as(key).post("/api/v1/agents/" + agentId + "/rotate-key", Map.of());
  }

  private int poll(String key) {
    return server.api().as(key).get("/api/v1/commands?status=pending").status();
  }

  private static String revokePath(String agentId) {
    return "/api/v1/agents/" + agentId + "/revoke";
  }

  private String createCommand(String agentId) {
    ApiClient.Response created =
        server
            .admin()
            .post(
                "/api/v1/commands",
                Map.of("agent_id", agentId, "type", "echo", "params", Map.of("message", "hi")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private String commandStatus(String id) {
    return server.admin().get("/api/v1/commands/" + id).text("status");
  }

  private String agentTenant(EnrolledTestAgent agent) {
    return server.admin().get("/api/v1/agents/" + agent.id()).text("tenant_id");
  }

  private List<String> events(String subjectId) {
    return repos.events().readAfter(0, 100_000).stream()
        .filter(event -> subjectId.equals(event.subjectId()))
        .map(Event::type)
        .toList();
  }
}
