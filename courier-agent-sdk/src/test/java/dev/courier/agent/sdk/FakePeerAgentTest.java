package dev.courier.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.sdk.internal.ExecutedJournal;
import dev.courier.agent.sdk.internal.Outbox;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.ProtocolJson;
import dev.courier.protocol.envelope.SignedEnvelope;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.protocol.frame.TunnelData;
import dev.courier.protocol.http.PolledCommand;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a scripted peer that sends what a correct server never would. */
class FakePeerAgentTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path stateDir;

  private FakePeer peer;
  private CourierAgent agent;
  private final TestExecutors.Echo echo = new TestExecutors.Echo();

  @BeforeEach
  void startPeer() {
    peer = new FakePeer();
  }

  @AfterEach
  void stopAll() {
    if (agent != null) {
      agent.stop(Duration.ofSeconds(1));
    }
    peer.close();
  }

  private AgentOptions options() {
    AgentIdentity identity =
        new AgentIdentity(FakePeer.AGENT, "ck_test_key", peer.publicKey(), peer.uri());
    return AgentOptions.defaults(peer.uri(), identity, stateDir)
        .withHostname("fake-host")
        .withHeartbeatInterval(Duration.ofSeconds(2))
        .withPollInterval(Duration.ofSeconds(1))
        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .withShutdownGrace(Duration.ofSeconds(1));
  }

  private void startAgent(AgentOptions options, ExecutorRegistry executors) {
    agent = new CourierAgent(options, executors);
    agent.start();
  }

  private void startConnected() {
    startAgent(options(), ExecutorRegistry.of(echo));
    await().atMost(PATIENCE).until(() -> peer.connected() && agent.isConnected());
  }

  private void awaitResult(String id) {
    await().atMost(PATIENCE).until(() -> peer.results.containsKey(CommandId.of(id)));
  }

  private void assertRefused(String id, String reason) {
    awaitResult(id);
    var result = peer.results.get(CommandId.of(id));
    assertThat(result.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(result.error()).contains(reason);
    assertThat(peer.eventsFor(id)).noneMatch(e -> e.startsWith("accepted"));
    assertThat(echo.calls).hasValue(0);
  }

  @Test
  void a_tampered_signature_is_refused_and_never_executed() {
    startConnected();
    SignedEnvelope signed = peer.envelope("tampered", "echo", Map.of("message", "hi"));
    SignedEnvelope tampered =
        new SignedEnvelope(
            signed.id(),
            signed.agentId(),
            signed.type(),
            peer.signer
                .sign(
                    FakePeer.unsigned(
                        "x",
                        FakePeer.AGENT,
                        "echo",
                        Map.of("message", "rm -rf"),
                        signed.expiresAt()))
                .params(),
            signed.priority(),
            signed.timeoutSeconds(),
            signed.issuedAt(),
            signed.expiresAt(),
            signed.signature());

    peer.push(tampered);

    assertRefused("tampered", "signature does not verify");
  }

  @Test
  void an_envelope_signed_by_another_key_is_refused() {
    startConnected();
    FakePeer impostor = new FakePeer();
    try {
      peer.push(impostor.envelope("impostor", "echo", Map.of()));
    } finally {
      impostor.close();
    }

    assertRefused("impostor", "signature does not verify");
  }

  @Test
  void an_expired_envelope_is_refused_and_never_executed() {
    startConnected();

    peer.push(
        peer.signer.sign(
            FakePeer.unsigned(
                "expired", FakePeer.AGENT, "echo", Map.of(), Instant.now().minusSeconds(3600))));

    assertRefused("expired", "expired");
  }

  @Test
  void an_envelope_addressed_to_another_agent_is_refused_and_never_executed() {
    startConnected();

    peer.push(
        peer.signer.sign(
            FakePeer.unsigned(
                "misaddressed",
                dev.courier.protocol.AgentId.of("someone-else"),
                "echo",
                Map.of(),
                Instant.now().plusSeconds(300))));

    assertRefused("misaddressed", "addressed to agent someone-else");
  }

  @Test
  void an_id_already_in_the_journal_is_refused_and_never_executed_again() throws Exception {
    try (ExecutedJournal journal =
        ExecutedJournal.open(stateDir.resolve("executed.journal"), Clock.systemUTC())) {
      journal.recordExecuted(CommandId.of("replayed"), Instant.now().plusSeconds(300));
    }
    startConnected();

    peer.push(peer.envelope("replayed", "echo", Map.of("message", "again")));

    assertRefused("replayed", "not executed again");
  }

  @Test
  void a_replay_after_a_confirmed_result_runs_nothing_and_sends_no_second_result() {
    startConnected();
    peer.push(peer.envelope("once", "echo", Map.of("message", "one")));
    awaitResult("once");
    await().atMost(PATIENCE).until(() -> Outbox.open(stateDir.resolve("outbox")).size() == 0);

    peer.push(peer.envelope("once", "echo", Map.of("message", "one")));
    peer.push(peer.envelope("after", "echo", Map.of("message", "two")));
    awaitResult("after");

    assertThat(echo.calls).hasValue(2);
    assertThat(echo.executed)
        .containsExactlyInAnyOrder(CommandId.of("once"), CommandId.of("after"));
    assertThat(peer.eventsFor("once")).filteredOn(e -> e.startsWith("result")).hasSize(1);
    assertThat(peer.eventsFor("once")).filteredOn(e -> e.startsWith("accepted")).hasSize(1);
  }

  @Test
  void a_command_whose_acknowledge_is_refused_is_not_executed() {
    peer.refuseAccepts = true;
    startConnected();

    peer.push(peer.envelope("taken", "echo", Map.of()));
    await().atMost(PATIENCE).until(() -> peer.eventsFor("taken").contains("accepted taken"));
    peer.refuseAccepts = false;
    peer.push(peer.envelope("next", "echo", Map.of()));
    awaitResult("next");

    assertThat(echo.executed).containsExactly(CommandId.of("next"));
    assertThat(peer.results).doesNotContainKey(CommandId.of("taken"));
  }

  @Test
  void an_unacknowledged_result_stays_in_the_outbox_and_is_resent_after_a_reconnect() {
    peer.ackResults = false;
    startConnected();
    peer.push(peer.envelope("durable", "echo", Map.of("message", "keep me")));
    awaitResult("durable");
    assertThat(Outbox.open(stateDir.resolve("outbox")).get(CommandId.of("durable"))).isPresent();

    peer.results.clear();
    peer.ackResults = true;
    peer.dropSocket();

    awaitResult("durable");
    await().atMost(PATIENCE).until(() -> Outbox.open(stateDir.resolve("outbox")).size() == 0);
    assertThat(peer.results.get(CommandId.of("durable")).output()).isEqualTo("keep me");
    assertThat(echo.calls).hasValue(1);
  }

  @Test
  void websocket_falls_back_to_polling_while_the_socket_is_refused_and_returns_when_it_can() {
    peer.socketEnabled = false;
    startAgent(options(), ExecutorRegistry.of(echo));
    await().atMost(PATIENCE).until(() -> agent.transportInUse().equals("poll"));
    peer.pendingForPoll.add(
        PolledCommand.from(
            peer.envelope("polled", "echo", Map.of("message", "via poll")), Instant.now()));

    awaitResult("polled");
    assertThat(peer.eventsFor("polled"))
        .containsSubsequence("accepted polled http", "result polled completed http");

    peer.socketEnabled = true;
    await().atMost(PATIENCE).until(() -> agent.transportInUse().equals("websocket"));
    peer.push(peer.envelope("pushed", "echo", Map.of("message", "via ws")));
    awaitResult("pushed");
    assertThat(peer.eventsFor("pushed")).contains("result pushed completed ws");
  }

  @Test
  void with_every_slot_busy_a_second_command_runs_once_a_slot_frees() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CommandExecutor blocking =
        new CommandExecutor() {
          @Override
          public String type() {
            return "collect";
          }

          @Override
          public CommandOutcome execute(CommandContext context) throws Exception {
            release.await(20, TimeUnit.SECONDS);
            return CommandOutcome.completed(null);
          }
        };
    startAgent(options().withMaxConcurrent(1), ExecutorRegistry.of(blocking, echo));
    await().atMost(PATIENCE).until(() -> peer.connected() && agent.isConnected());
    peer.push(peer.envelope("first", "collect", Map.of()));
    await().atMost(PATIENCE).until(() -> peer.events.contains("running first"));

    SignedEnvelope second = peer.envelope("second", "echo", Map.of());
    peer.pendingForPoll.add(PolledCommand.from(second, Instant.now()));
    peer.push(second);
    release.countDown();

    awaitResult("second");
    // Whether the push or the poll that the freed slot triggers brings it, "second" is claimed
    // once, after "first" started (CommandIntakeTest pins the exact decision).
    assertThat(peer.events).containsSubsequence("running first", "accepted second");
    assertThat(peer.events).filteredOn(e -> e.startsWith("accepted second")).hasSize(1);
  }

  @Test
  void a_rejected_key_over_the_websocket_stops_the_agent_from_retrying() {
    peer.rejectKey = true;
    startAgent(options(), ExecutorRegistry.of(echo));

    await().atMost(PATIENCE).until(() -> peer.authAttempts.get() == 1);
    await().atMost(PATIENCE).until(() -> agent.transportInUse().equals("none"));
    assertThat(agent.isConnected()).isFalse();
    assertThat(peer.events).doesNotContain("poll");
  }

  @Test
  void a_rejected_key_while_polling_stops_the_agent_from_polling() {
    peer.rejectKey = true;
    startAgent(options().withTransport(Transport.POLL), ExecutorRegistry.of(echo));

    await().atMost(PATIENCE).until(() -> peer.events.contains("poll"));
    await().atMost(PATIENCE).until(() -> agent.transportInUse().equals("none"));
    assertThat(peer.events).filteredOn("poll"::equals).hasSize(1);
  }

  @Test
  void stopping_cancels_a_command_that_outlives_the_grace_and_reports_it() {
    TestExecutors.Sleep sleep = new TestExecutors.Sleep("33.5");
    startAgent(options(), ExecutorRegistry.of(sleep));
    await().atMost(PATIENCE).until(() -> peer.connected() && agent.isConnected());
    peer.push(peer.envelope("long", "collect", Map.of()));
    await().atMost(PATIENCE).until(() -> sleep.process().isPresent());
    ProcessHandle process = sleep.process().orElseThrow();

    agent.stop(Duration.ofMillis(100));

    assertThat(process.isAlive()).isFalse();
    awaitResult("long");
    var result = peer.results.get(CommandId.of("long"));
    assertThat(result.status()).isEqualTo(CommandStatus.CANCELLED);
    assertThat(result.error()).contains("agent shutting down");
    assertThat(agent.transportInUse()).isEqualTo("none");
  }

  @Test
  void stopping_lets_a_command_finish_within_the_grace() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CommandExecutor finishing =
        new CommandExecutor() {
          @Override
          public String type() {
            return "collect";
          }

          @Override
          public CommandOutcome execute(CommandContext context) throws Exception {
            started.countDown();
            release.await(20, TimeUnit.SECONDS);
            return CommandOutcome.completed(0, "finished", null);
          }
        };
    startAgent(options(), ExecutorRegistry.of(finishing));
    await().atMost(PATIENCE).until(() -> peer.connected() && agent.isConnected());
    peer.push(peer.envelope("graceful", "collect", Map.of()));
    await().atMost(PATIENCE).until(() -> started.getCount() == 0);

    Thread.ofVirtual().start(release::countDown);
    agent.stop(Duration.ofSeconds(15));

    awaitResult("graceful");
    assertThat(peer.results.get(CommandId.of("graceful")).status())
        .isEqualTo(CommandStatus.COMPLETED);
  }

  @Test
  void commands_handed_out_by_an_http_heartbeat_run_without_a_separate_acknowledge() {
    peer.claimedByHeartbeat.add(
        PolledCommand.from(
            peer.envelope("claimed", "echo", Map.of("message", "hb")), Instant.now()));

    startAgent(options().withTransport(Transport.POLL), ExecutorRegistry.of(echo));

    awaitResult("claimed");
    assertThat(peer.results.get(CommandId.of("claimed")).output()).isEqualTo("hb");
    assertThat(peer.eventsFor("claimed")).noneMatch(e -> e.startsWith("accepted"));
  }

  @Test
  void a_cancel_for_a_command_the_agent_never_started_is_confirmed_and_blocks_a_later_run() {
    startConnected();

    peer.cancel("ghost");
    awaitResult("ghost");
    peer.push(peer.envelope("ghost", "echo", Map.of()));
    peer.push(peer.envelope("real", "echo", Map.of()));
    awaitResult("real");

    assertThat(peer.results.get(CommandId.of("ghost")).status()).isEqualTo(CommandStatus.CANCELLED);
    assertThat(echo.executed).containsExactly(CommandId.of("real"));
  }

  @Test
  void without_a_tunnel_handler_the_agent_refuses_a_session_as_terminal_disabled() {
    startConnected();

    peer.send(new ServerFrame.TunnelOpen("s1"));

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(peer.events)
                    .contains(
                        "tunnel_error s1 terminal_disabled: the terminal is not enabled on this"
                            + " agent"));
    assertThat(peer.authCapabilities.get(0)).doesNotContain(TunnelHandler.CAPABILITY);
    assertThat(peer.events).noneMatch(e -> e.startsWith("tunnel_ready"));
  }

  @Test
  void a_tunnel_handler_is_reported_serves_the_session_and_is_closed_when_the_socket_drops() {
    List<String> calls = new CopyOnWriteArrayList<>();
    TunnelHandler handler =
        new TunnelHandler() {
          @Override
          public void open(TunnelSession session) {
            calls.add("open " + session.id());
          }

          @Override
          public void data(TunnelSession session, String channelId, JsonNode data) {
            calls.add("data " + channelId);
            session.send(channelId, data);
          }

          @Override
          public void close(TunnelSession session, String reason) {
            calls.add("close " + session.id() + ": " + reason);
          }
        };
    agent = new CourierAgent(options(), ExecutorRegistry.of(echo), handler);
    agent.start();
    await().atMost(PATIENCE).until(() -> peer.connected() && agent.isConnected());

    peer.send(new ServerFrame.TunnelOpen("s1"));
    await().atMost(PATIENCE).until(() -> peer.events.contains("tunnel_ready s1"));
    JsonNode data = ProtocolJson.mapper().createObjectNode().put("type", "ping");
    peer.send(new TunnelData("s1:terminal", data));
    await().atMost(PATIENCE).until(() -> peer.events.contains("tunnel_data s1:terminal " + data));
    peer.dropSocket();

    await()
        .atMost(PATIENCE)
        .until(() -> calls.contains("close s1: the connection to the server was lost"));
    assertThat(calls)
        .containsExactly(
            "open s1", "data s1:terminal", "close s1: the connection to the server was lost");
    assertThat(peer.authCapabilities.get(0)).contains(TunnelHandler.CAPABILITY, "echo");
  }
}
