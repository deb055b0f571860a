package dev.courier.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.envelope.EnvelopeKeys;
import dev.courier.protocol.envelope.EnvelopeVerifier;
import dev.courier.protocol.frame.AgentFrame;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.RawAgentSocket;
import dev.courier.server.testing.TestServer;
import dev.courier.server.testing.TestServer.EnrolledTestAgent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The agent WebSocket (seed 001 framing) driven frame by frame against the real server. */
abstract class WebSocketProtocolContract extends RealServerContract {

  private String create(EnrolledTestAgent agent, Map<String, Object> body) {
    ApiClient.Response created = server.admin().post("/api/v1/commands", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private String status(String id) {
    return server.admin().get("/api/v1/commands/" + id).text("status");
  }

  @Test
  void a_connected_agent_gets_the_command_pushed_and_runs_it_after_the_servers_ack() {
    EnrolledTestAgent agent = server.enrollAgent("ws-agent");
    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      ServerFrame.AuthAck ack = socket.next(ServerFrame.AuthAck.class);
      assertThat(ack.agentId().value()).isEqualTo(agent.id());
      assertThat(ack.heartbeatIntervalSeconds()).isPositive();

      String id =
          create(
              agent,
              Map.of(
                  "agent_id", agent.id(), "type", "echo", "params", Map.of("message", "pushed")));
      ServerFrame.CommandDelivery delivery = socket.next(ServerFrame.CommandDelivery.class);
      assertThat(delivery.envelope().id().value()).isEqualTo(id);
      assertThat(delivery.envelope().params().path("message").asText()).isEqualTo("pushed");
      assertThat(
              new EnvelopeVerifier(
                      EnvelopeKeys.decodePublic(agent.serverPublicKey()),
                      AgentId.of(agent.id()),
                      Clock.systemUTC())
                  .verify(delivery.envelope())
                  .isValid())
          .isTrue();

      CommandId commandId = CommandId.of(id);
      socket.send(
          new AgentFrame.CommandStatusReport(commandId, CommandStatus.ACCEPTED, Instant.now()));
      ServerFrame.Ack accepted = socket.next(ServerFrame.Ack.class);
      assertThat(accepted.of()).isEqualTo("command_status");
      assertThat(accepted.status()).isEqualTo(CommandStatus.ACCEPTED);
      assertThat(status(id)).isEqualTo("accepted");

      socket.send(
          new AgentFrame.CommandStatusReport(commandId, CommandStatus.RUNNING, Instant.now()));
      assertThat(socket.next(ServerFrame.Ack.class).status()).isEqualTo(CommandStatus.RUNNING);
      assertThat(status(id)).isEqualTo("running");

      socket.send(
          new AgentFrame.CommandResult(
              commandId,
              CommandStatus.COMPLETED,
              Instant.now(),
              3L,
              0,
              "pushed",
              null,
              null,
              null,
              "pushed\n"));
      ServerFrame.Ack stored = socket.next(ServerFrame.Ack.class);
      assertThat(stored.of()).isEqualTo("command_result");
      assertThat(stored.status()).isEqualTo(CommandStatus.COMPLETED);
      assertThat(
              server
                  .admin()
                  .get("/api/v1/commands/" + id)
                  .json()
                  .path("result")
                  .path("output")
                  .asText())
          .isEqualTo("pushed\n");
      assertThat(server.admin().get("/api/v1/agents/" + agent.id()).text("status"))
          .isEqualTo("online");
    }
  }

  @Test
  void a_redelivered_command_is_refused_to_the_second_acceptance_so_it_runs_once() {
    EnrolledTestAgent agent = server.enrollAgent("ws-redelivery");
    String id = create(agent, Map.of("agent_id", agent.id(), "type", "echo"));
    CommandId commandId = CommandId.of(id);
    try (RawAgentSocket first = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      first.next(ServerFrame.AuthAck.class);
      assertThat(first.next(ServerFrame.CommandDelivery.class).envelope().id())
          .isEqualTo(commandId);
      first.send(
          new AgentFrame.CommandStatusReport(commandId, CommandStatus.ACCEPTED, Instant.now()));
      first.next(ServerFrame.Ack.class);
    }
    // The connection dropped after acceptance; a new one must not be offered the command again,
    // and an agent that accepts it anyway (say, from an old delivery) is told not to run it.
    try (RawAgentSocket second = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      second.next(ServerFrame.AuthAck.class);
      second.send(
          new AgentFrame.CommandStatusReport(commandId, CommandStatus.ACCEPTED, Instant.now()));
      ServerFrame.ErrorFrame refused = second.next(ServerFrame.ErrorFrame.class);
      assertThat(refused.code()).isEqualTo(ServerFrame.ErrorFrame.CONFLICT);
      assertThat(refused.commandId()).isEqualTo(commandId);
    }
  }

  @Test
  void
      commands_queued_while_the_agent_was_away_are_pushed_when_it_connects_highest_priority_first() {
    EnrolledTestAgent agent = server.enrollAgent("ws-offline");
    String normal = create(agent, Map.of("agent_id", agent.id(), "type", "echo"));
    String critical =
        create(
            agent, Map.of("agent_id", agent.id(), "type", "health_check", "priority", "critical"));

    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      List<String> order =
          List.of(
              socket.next(ServerFrame.CommandDelivery.class).envelope().id().value(),
              socket.next(ServerFrame.CommandDelivery.class).envelope().id().value());
      assertThat(order).containsExactly(critical, normal);
    }
  }

  @Test
  void cancelling_a_running_command_sends_cancel_and_the_agents_confirmation_ends_it() {
    EnrolledTestAgent agent = server.enrollAgent("ws-cancel");
    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      String id = create(agent, Map.of("agent_id", agent.id(), "type", "echo"));
      CommandId commandId = CommandId.of(id);
      socket.next(ServerFrame.CommandDelivery.class);
      socket.send(
          new AgentFrame.CommandStatusReport(commandId, CommandStatus.ACCEPTED, Instant.now()));
      socket.next(ServerFrame.Ack.class);
      socket.send(
          new AgentFrame.CommandStatusReport(commandId, CommandStatus.RUNNING, Instant.now()));
      socket.next(ServerFrame.Ack.class);

      ApiClient.Response cancel = server.admin().delete("/api/v1/commands/" + id);
      assertThat(cancel.status()).isEqualTo(202);
      assertThat(cancel.text("status")).isEqualTo("cancelling");
      assertThat(socket.next(ServerFrame.Cancel.class).commandId()).isEqualTo(commandId);

      socket.send(
          new AgentFrame.CommandResult(
              commandId,
              CommandStatus.CANCELLED,
              Instant.now(),
              10L,
              null,
              "stopped",
              null,
              null,
              null,
              null));
      socket.next(ServerFrame.Ack.class);
      assertThat(status(id)).isEqualTo("cancelled");
    }
  }

  @Test
  void a_cancel_requested_while_the_agent_was_away_is_sent_when_it_reconnects() {
    EnrolledTestAgent agent = server.enrollAgent("ws-cancel-away");
    String id;
    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      id = create(agent, Map.of("agent_id", agent.id(), "type", "echo"));
      socket.next(ServerFrame.CommandDelivery.class);
      socket.send(
          new AgentFrame.CommandStatusReport(
              CommandId.of(id), CommandStatus.ACCEPTED, Instant.now()));
      socket.next(ServerFrame.Ack.class);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !server.server().gateway().isConnected(AgentId.of(agent.id())));

    ApiClient.Response cancel = server.admin().delete("/api/v1/commands/" + id);
    assertThat(cancel.status()).as(cancel.toString()).isEqualTo(202);
    assertThat(cancel.text("status")).isEqualTo("cancelling");

    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      assertThat(socket.next(ServerFrame.Cancel.class).commandId()).isEqualTo(CommandId.of(id));
    }
  }

  @Test
  void malformed_and_unknown_frames_get_an_error_frame_and_the_connection_stays_up()
      throws Exception {
    EnrolledTestAgent agent = server.enrollAgent("ws-garbage");
    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);

      socket.sendText("{not json");
      assertThat(socket.next(ServerFrame.ErrorFrame.class).code())
          .isEqualTo(ServerFrame.ErrorFrame.MALFORMED_FRAME);
      socket.sendText("{\"type\":\"launch_missiles\",\"payload\":{}}");
      assertThat(socket.next(ServerFrame.ErrorFrame.class).code())
          .isEqualTo(ServerFrame.ErrorFrame.UNKNOWN_TYPE);
      socket.sendText("{\"type\":\"command_status\",\"payload\":{\"status\":\"running\"}}");
      assertThat(socket.next(ServerFrame.ErrorFrame.class).code())
          .isEqualTo(ServerFrame.ErrorFrame.INVALID_PAYLOAD);

      socket.send(new AgentFrame.Heartbeat("1.0", "ws-garbage", 5L, List.of("echo"), 0));
      assertThat(socket.next(ServerFrame.Ack.class).of()).isEqualTo("heartbeat");
    }
  }

  @Test
  void reports_sent_back_to_back_are_answered_in_their_order_each_after_its_write() {
    EnrolledTestAgent agent = server.enrollAgent("ws-pipelined");
    EnrolledTestAgent other = server.enrollAgent("ws-pipelined-other");
    CommandId first = CommandId.of(create(agent, Map.of("agent_id", agent.id(), "type", "echo")));
    CommandId second = CommandId.of(create(agent, Map.of("agent_id", agent.id(), "type", "echo")));
    CommandId othersCommand =
        CommandId.of(create(other, Map.of("agent_id", other.id(), "type", "echo")));
    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      socket.next(ServerFrame.CommandDelivery.class);
      socket.next(ServerFrame.CommandDelivery.class);

      // None of these waits for the answer to the one before it.
      socket.send(new AgentFrame.CommandStatusReport(first, CommandStatus.ACCEPTED, Instant.now()));
      socket.send(
          new AgentFrame.CommandStatusReport(second, CommandStatus.ACCEPTED, Instant.now()));
      socket.send(new AgentFrame.CommandStatusReport(first, CommandStatus.RUNNING, Instant.now()));
      socket.send(echoResult(first));
      socket.send(echoResult(othersCommand));
      socket.send(new AgentFrame.CommandStatusReport(second, CommandStatus.RUNNING, Instant.now()));
      socket.send(new AgentFrame.Heartbeat("1.0", "ws-pipelined", 5L, List.of("echo"), 0));
      socket.send(echoResult(second));

      List<String> answers = new java.util.ArrayList<>();
      while (answers.size() < 8) {
        switch (socket.next()) {
          case ServerFrame.Ack ack ->
              answers.add(
                  ack.of()
                      + (ack.commandId() == null
                          ? ""
                          : " " + (ack.commandId().equals(first) ? "first" : "second"))
                      + (ack.status() == null ? "" : " " + ack.status().wireName()));
          case ServerFrame.ErrorFrame error ->
              answers.add(
                  "error "
                      + error.code()
                      + (othersCommand.equals(error.commandId()) ? " others" : ""));
          default -> {}
        }
      }
      assertThat(answers)
          .containsExactly(
              "command_status first accepted",
              "command_status second accepted",
              "command_status first running",
              "command_result first completed",
              "error not_found others",
              "command_status second running",
              "heartbeat",
              "command_result second completed");
    }
    assertThat(status(first.value())).isEqualTo("completed");
    assertThat(status(second.value())).isEqualTo("completed");
    assertThat(status(othersCommand.value())).isEqualTo("pending");
  }

  private static AgentFrame.CommandResult echoResult(CommandId id) {
    return new AgentFrame.CommandResult(
        id, CommandStatus.COMPLETED, Instant.now(), 1L, 0, "done", null, null, null, "done\n");
  }

  @Test
  void reports_about_another_agents_command_are_refused() {
    EnrolledTestAgent agent = server.enrollAgent("ws-nosy");
    EnrolledTestAgent other = server.enrollAgent("ws-victim");
    String othersCommand = create(other, Map.of("agent_id", other.id(), "type", "echo"));
    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      socket.send(
          new AgentFrame.CommandStatusReport(
              CommandId.of(othersCommand), CommandStatus.ACCEPTED, Instant.now()));
      assertThat(socket.next(ServerFrame.ErrorFrame.class).code()).isEqualTo("not_found");
    }
    assertThat(status(othersCommand)).isEqualTo("pending");
  }

  @Test
  void an_agent_may_authenticate_with_a_first_auth_frame_instead_of_a_header() {
    EnrolledTestAgent agent = server.enrollAgent("ws-frame-auth");
    try (RawAgentSocket socket = RawAgentSocket.connectAnonymously(server.webSocketUrl())) {
      socket.send(new AgentFrame.Auth(AgentId.of(agent.id()), agent.key(), "1.0", List.of("echo")));
      assertThat(socket.next(ServerFrame.AuthAck.class).agentId().value()).isEqualTo(agent.id());
    }
    try (RawAgentSocket socket = RawAgentSocket.connectAnonymously(server.webSocketUrl())) {
      socket.send(new AgentFrame.Auth(AgentId.of(agent.id()), "cak_wrong", "1.0", List.of()));
      assertThat(socket.next(ServerFrame.ErrorFrame.class).code()).isEqualTo("unauthenticated");
      assertThat(socket.closeCode()).isEqualTo(4401);
    }
  }

  @Test
  void a_wrong_key_in_the_upgrade_request_is_refused_before_any_websocket_exists() {
    assertThatThrownBy(() -> RawAgentSocket.connect(server.webSocketUrl(), "cak_wrong"))
        .isInstanceOf(CompletionException.class)
        .hasStackTraceContaining("status code 401");
  }

  @Test
  void an_agent_that_stops_sending_heartbeats_goes_offline() {
    EnrolledTestAgent agent = server.enrollAgent("ws-presence");
    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      assertThat(server.admin().get("/api/v1/agents/" + agent.id()).text("status"))
          .isEqualTo("online");
    }
    await()
        .atMost(TestServer.HEARTBEAT.multipliedBy(3).plus(Duration.ofSeconds(10)))
        .until(
            () ->
                server
                    .admin()
                    .get("/api/v1/agents/" + agent.id())
                    .text("status")
                    .equals("offline"));
  }

  @Test
  void ten_thousand_output_lines_stream_live_in_order_and_replay_to_a_late_reader()
      throws Exception {
    EnrolledTestAgent agent = server.enrollAgent("streamer");
    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      String id = create(agent, Map.of("agent_id", agent.id(), "type", "echo", "params", Map.of()));
      socket.next(ServerFrame.CommandDelivery.class);
      CommandId commandId = CommandId.of(id);
      socket.send(
          new AgentFrame.CommandStatusReport(commandId, CommandStatus.ACCEPTED, Instant.now()));
      socket.next(ServerFrame.Ack.class);
      socket.send(
          new AgentFrame.CommandStatusReport(commandId, CommandStatus.RUNNING, Instant.now()));
      socket.next(ServerFrame.Ack.class);

      java.util.concurrent.Future<List<ApiClient.SseEvent>> live =
          java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()
              .submit(
                  () ->
                      server
                          .admin()
                          .events(
                              "/api/v1/commands/" + id + "/output",
                              null,
                              "end",
                              Duration.ofSeconds(60)));
      for (int chunk = 0; chunk < 200; chunk++) {
        StringBuilder lines = new StringBuilder();
        for (int line = 0; line < 50; line++) {
          lines.append("line-").append(chunk * 50 + line).append('\n');
        }
        socket.send(
            new AgentFrame.CommandOutput(
                commandId, chunk, dev.courier.protocol.OutputStreamName.STDOUT, lines.toString()));
      }
      socket.send(
          new AgentFrame.CommandResult(
              commandId,
              CommandStatus.COMPLETED,
              Instant.now(),
              5L,
              0,
              "done",
              null,
              null,
              null,
              null));
      socket.next(ServerFrame.Ack.class);

      List<ApiClient.SseEvent> streamed = live.get(90, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(streamed.getLast().name()).as(streamed.toString()).isEqualTo("end");
      assertThat(streamed.getLast().json().get("status").asText()).isEqualTo("completed");
      List<String> expected = new java.util.ArrayList<>();
      for (int line = 0; line < 10_000; line++) {
        expected.add("line-" + line);
      }
      assertThat(linesOf(streamed)).containsExactlyElementsOf(expected);

      List<ApiClient.SseEvent> replayed =
          server
              .admin()
              .events(
                  "/api/v1/commands/" + id + "/output?from_seq=0",
                  null,
                  "end",
                  Duration.ofSeconds(30));
      assertThat(linesOf(replayed)).isEqualTo(linesOf(streamed));
      List<ApiClient.SseEvent> resumed =
          server
              .admin()
              .events("/api/v1/commands/" + id + "/output", "149", "end", Duration.ofSeconds(30));
      assertThat(linesOf(resumed)).hasSize(50 * 50).startsWith("line-7500");
    }
  }

  @Test
  void output_past_the_cap_is_cut_and_the_stream_says_so() {
    EnrolledTestAgent agent = server.enrollAgent("chatty");
    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      String id = create(agent, Map.of("agent_id", agent.id(), "type", "echo", "params", Map.of()));
      socket.next(ServerFrame.CommandDelivery.class);
      CommandId commandId = CommandId.of(id);
      socket.send(
          new AgentFrame.CommandStatusReport(commandId, CommandStatus.ACCEPTED, Instant.now()));
      socket.next(ServerFrame.Ack.class);
      socket.send(
          new AgentFrame.CommandStatusReport(commandId, CommandStatus.RUNNING, Instant.now()));
      socket.next(ServerFrame.Ack.class);
      String big = "x".repeat(60 * 1024);
      for (int chunk = 0; chunk < 20; chunk++) {
        socket.send(
            new AgentFrame.CommandOutput(
                commandId, chunk, dev.courier.protocol.OutputStreamName.STDERR, big));
      }
      socket.send(
          new AgentFrame.CommandResult(
              commandId,
              CommandStatus.FAILED,
              Instant.now(),
              5L,
              1,
              "noisy",
              null,
              null,
              null,
              null));
      socket.next(ServerFrame.Ack.class);

      List<ApiClient.SseEvent> events =
          server
              .admin()
              .events("/api/v1/commands/" + id + "/output", null, "end", Duration.ofSeconds(30));
      long stored = events.stream().filter(e -> e.name().equals("output")).count();
      assertThat(stored).isEqualTo(17);
      assertThat(events).extracting(ApiClient.SseEvent::name).contains("truncated");
      assertThat(events.getLast().json().get("status").asText()).isEqualTo("failed");
    }
  }

  @Test
  void a_command_left_unacknowledged_for_a_heartbeat_interval_is_pushed_again() throws Exception {
    EnrolledTestAgent agent = server.enrollAgent("lossy");
    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      String id = create(agent, Map.of("agent_id", agent.id(), "type", "echo", "params", Map.of()));
      // The first push is "lost": the agent never acknowledges it.
      assertThat(socket.next(ServerFrame.CommandDelivery.class).envelope().id().value())
          .isEqualTo(id);

      assertThat(heartbeatsAnIntervalApart(socket, "a fresh command is not pushed twice"))
          .containsExactlyInAnyOrder("ack heartbeat", "delivery " + id);
    }
  }

  @Test
  void a_cancel_left_unconfirmed_for_a_heartbeat_interval_is_sent_again() throws Exception {
    EnrolledTestAgent agent = server.enrollAgent("lossy-cancel");
    try (RawAgentSocket socket = RawAgentSocket.connect(server.webSocketUrl(), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      String id = create(agent, Map.of("agent_id", agent.id(), "type", "echo", "params", Map.of()));
      CommandId commandId = CommandId.of(id);
      socket.next(ServerFrame.CommandDelivery.class);
      socket.send(
          new AgentFrame.CommandStatusReport(commandId, CommandStatus.ACCEPTED, Instant.now()));
      socket.next(ServerFrame.Ack.class);
      assertThat(server.admin().delete("/api/v1/commands/" + id).status()).isEqualTo(202);
      // The first cancel is "lost": the agent never confirms it.
      assertThat(socket.next(ServerFrame.Cancel.class).commandId()).isEqualTo(commandId);

      assertThat(heartbeatsAnIntervalApart(socket, "a fresh cancel is not sent twice"))
          .containsExactlyInAnyOrder("ack heartbeat", "cancel " + id);
    }
  }

  /**
   * Two heartbeats a heartbeat interval apart. The first must bring its ack and nothing else: what
   * was just sent is not sent twice. Returns what the second brought: its ack and what was sent
   * again, in either order, since the check runs apart from the heartbeat's answer.
   */
  private static List<String> heartbeatsAnIntervalApart(RawAgentSocket socket, String notDoubled)
      throws InterruptedException {
    socket.send(new AgentFrame.Heartbeat(null, null, null, null, null));
    socket.next(ServerFrame.Ack.class);
    assertThat(socket.quietFor(Duration.ofMillis(300))).as(notDoubled).isTrue();

    Thread.sleep(TestServer.HEARTBEAT.toMillis() + 200);
    socket.send(new AgentFrame.Heartbeat(null, null, null, null, null));
    List<String> frames = new java.util.ArrayList<>();
    while (frames.size() < 2) {
      switch (socket.next()) {
        case ServerFrame.Ack ack -> frames.add("ack " + ack.of());
        case ServerFrame.CommandDelivery delivery ->
            frames.add("delivery " + delivery.envelope().id().value());
        case ServerFrame.Cancel cancel -> frames.add("cancel " + cancel.commandId().value());
        default -> {}
      }
    }
    return frames;
  }

  private static List<String> linesOf(List<ApiClient.SseEvent> events) {
    List<String> lines = new java.util.ArrayList<>();
    for (ApiClient.SseEvent event : events) {
      if (event.name().equals("output")) {
        String data = event.json().get("data").asText();
        for (String line : data.split("\n")) {
          if (!line.isEmpty()) {
            lines.add(line);
          }
        }
      }
    }
    return lines;
  }
}
