package dev.courier.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.server.events.Event;
import dev.courier.server.events.EventOutbox;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestServer.EnrolledTestAgent;
import dev.courier.server.user.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The event stream filters in the database: a reader narrowed to one agent gets that agent's events
 * and nothing else, however many of other agents' events lie between them.
 */
abstract class EventStreamContract extends RealServerContract {

  static final Duration PATIENCE = Duration.ofSeconds(20);

  /** More than a page of the stream, and more than one read's range of numbers. */
  static final int MANY = 12_000;

  EventOutbox outbox() {
    return server.database().repositories(Clock.systemUTC()).events();
  }

  /** Other agents' command events of {@code tenant}, appended in one batch. */
  void appendOthers(TenantId tenant, int count) {
    outbox().appendAll(others(tenant, count));
  }

  static List<Event> others(TenantId tenant, int count) {
    Instant now = Instant.now();
    List<Event> others = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String command = "other-command-" + i;
      others.add(
          Event.of(
              tenant,
              "command.requested",
              command,
              "{\"command_id\":\"" + command + "\",\"agent_id\":\"other-agent-" + (i % 5) + "\"}",
              now));
    }
    return others;
  }

  static String echo(ApiClient operator, String agentId) {
    ApiClient.Response created =
        operator.post(
            "/api/v1/commands",
            Map.of("agent_id", agentId, "type", "echo", "params", Map.of("message", "hi")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  static boolean about(JsonNode event, String agentId) {
    return event.get("type").asText().startsWith("agent.")
        ? agentId.equals(event.get("subject_id").asText())
        : agentId.equals(event.at("/payload/agent_id").asText());
  }

  @Test
  void an_agent_filtered_stream_sees_only_that_agent_and_misses_nothing_after_many_others()
      throws Exception {
    TenantId tenant = server.createTenant();
    ApiClient operator = server.loginAs(tenant, Role.OPERATOR);
    EnrolledTestAgent ours = server.enrollAgent(tenant, "filtered-ours");
    EnrolledTestAgent theirs = server.enrollAgent(tenant, "filtered-theirs");
    long after = outbox().latestSeq();
    String query = "/api/v1/events?agent_id=" + ours.id() + "&after=" + after;
    CompletableFuture<List<ApiClient.SseEvent>> live =
        CompletableFuture.supplyAsync(
            () -> operator.events(query, null, "command.requested", PATIENCE));

    echo(operator, theirs.id());
    appendOthers(tenant, MANY);
    String command = echo(operator, ours.id());
    echo(operator, theirs.id());

    List<ApiClient.SseEvent> followed = live.get();
    assertThat(followed).extracting(ApiClient.SseEvent::name).containsExactly("command.requested");
    assertThat(followed.getFirst().json().get("subject_id").asText()).isEqualTo(command);

    List<ApiClient.SseEvent> replayed =
        operator.events(query + "&follow=false&types=command.requested", null, "none", PATIENCE);
    assertThat(replayed)
        .extracting(e -> e.json().get("subject_id").asText())
        .containsExactly(command);
    assertThat(replayed).allSatisfy(e -> assertThat(about(e.json(), ours.id())).isTrue());
    assertThat(replayed.getFirst().id()).isEqualTo(followed.getFirst().id());
  }

  @Test
  void a_stream_resumed_after_its_last_event_id_skips_past_the_others_to_the_next_event() {
    TenantId tenant = server.createTenant();
    ApiClient operator = server.loginAs(tenant, Role.OPERATOR);
    EnrolledTestAgent ours = server.enrollAgent(tenant, "resumed-ours");
    long after = outbox().latestSeq();
    String first = echo(operator, ours.id());
    appendOthers(tenant, MANY);
    String second = echo(operator, ours.id());
    String query = "/api/v1/events?follow=false&types=command.*&agent_id=" + ours.id();

    List<ApiClient.SseEvent> all =
        operator.events(query + "&after=" + after, null, "none", PATIENCE);
    assertThat(all)
        .extracting(e -> e.json().get("subject_id").asText())
        .containsExactly(first, second);

    List<ApiClient.SseEvent> resumed =
        operator.events(query, all.getFirst().id(), "none", PATIENCE);
    assertThat(resumed)
        .extracting(e -> e.json().get("subject_id").asText())
        .containsExactly(second);
  }
}
