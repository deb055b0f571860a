package dev.courier.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.ProtocolJson;
import dev.courier.protocol.frame.AgentFrame;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.protocol.frame.TunnelData;
import dev.courier.server.CourierServer;
import dev.courier.server.common.Ids;
import dev.courier.server.store.JdbcTunnelRepository;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.MutableClock;
import dev.courier.server.testing.OperatorStream;
import dev.courier.server.testing.RawAgentSocket;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import dev.courier.server.testing.TestServer.EnrolledTestAgent;
import dev.courier.server.tunnel.TunnelRepository;
import dev.courier.server.tunnel.TunnelSession;
import dev.courier.server.user.Role;
import dev.courier.server.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Tunnel sessions (issue 9 §2-4) against the real server, with a hand-driven agent that answers
 * like the real one (docs/tunnels.md) and a clock the test moves for the timeouts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class TunnelContract {

  private static final ObjectMapper JSON = ProtocolJson.mapper();

  abstract TestDatabases.Kind kind();

  final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T10:00:00Z"));
  TestServer server;
  TenantId tenant;
  ApiClient operator;
  private ApiClient otherOperator;
  private final List<FakeAgent> agents = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() {
    server = TestServer.start(kind(), clock);
    tenant = server.createTenant();
  }

  /** New operators for each test: their tokens are fresh however far the clock moved. */
  @BeforeEach
  void logIn() {
    operator = server.loginAs(tenant, Role.OPERATOR);
    otherOperator = server.loginAs(tenant, Role.OPERATOR);
  }

  @AfterAll
  void stop() {
    agents.forEach(FakeAgent::close);
    if (server != null) {
      server.close();
    }
  }

  @Test
  void open_run_a_command_and_close_through_the_api() {
    FakeAgent agent = agent(true, true);
    ApiClient.Response opened = open(operator, agent);
    assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
    assertThat(opened.text("status")).isEqualTo("ready");
    String session = opened.text("session_id");
    assertThat(agent.opened).contains(session);

    ApiClient.Response ran =
        operator.post("/api/v1/tunnel/" + session + "/command", Map.of("command", "uname -a"));
    assertThat(ran.status()).as(ran.toString()).isEqualTo(200);
    assertThat(ran.text("stdout")).isEqualTo("ran: uname -a\n");
    assertThat(ran.json().path("exit_code").asInt()).isZero();
    assertThat(ran.json().path("truncated").asBoolean()).isFalse();

    JsonNode status = operator.get("/api/v1/tunnel/status").json().path("sessions");
    assertThat(ApiClientIds.sessionIds(status)).containsExactly(session);

    ApiClient.Response closed =
        operator.post("/api/v1/tunnel/close", Map.of("session_id", session));
    assertThat(closed.status()).as(closed.toString()).isEqualTo(200);
    assertThat(closed.text("status")).isEqualTo("closed");
    assertThat(closed.text("close_reason")).isEqualTo("closed_by_user");
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.closed.contains(session));
    assertThat(operator.post("/api/v1/tunnel/close", Map.of("session_id", session)).status())
        .isEqualTo(409);
    assertThat(operator.get("/api/v1/tunnel/status").json().path("sessions").size()).isZero();
  }

  @Test
  void one_open_session_per_operator_and_agent_and_only_the_owner_may_use_it() {
    FakeAgent agent = agent(true, true);
    String session = open(operator, agent).text("session_id");

    ApiClient.Response again = open(operator, agent);
    assertThat(again.status()).as(again.toString()).isEqualTo(409);
    assertThat(again.text("detail")).contains(session);

    // Another operator of the same tenant may open their own session with the same agent ...
    ApiClient.Response theirs = open(otherOperator, agent);
    assertThat(theirs.status()).as(theirs.toString()).isEqualTo(200);
    // ... but never use, watch or close this one.
    ApiClient.Response command =
        otherOperator.post("/api/v1/tunnel/" + session + "/command", Map.of("command", "id"));
    assertThat(command.status()).isEqualTo(403);
    assertThat(command.text("field")).isEqualTo("session_id");
    assertThat(otherOperator.post("/api/v1/tunnel/close", Map.of("session_id", session)).status())
        .isEqualTo(403);
    assertThat(otherOperator.get("/api/v1/tunnel/status?session_id=" + session).status())
        .isEqualTo(403);
    assertThat(streamUpgradeStatus(session, otherOperatorToken())).isEqualTo(403);

    String unknown = Ids.newId();
    assertThat(operator.post("/api/v1/tunnel/close", Map.of("session_id", unknown)).status())
        .isEqualTo(404);
    assertThat(
            operator
                .post("/api/v1/tunnel/" + unknown + "/command", Map.of("command", "id"))
                .status())
        .isEqualTo(404);
    assertThat(open(operator, Ids.newId()).status()).isEqualTo(404);

    ApiClient.Response noAgent = operator.post("/api/v1/tunnel/open", Map.of());
    assertThat(noAgent.status()).isEqualTo(400);
    assertThat(noAgent.text("field")).isEqualTo("agent_id");
    assertThat(open(operator, "not-a-uuid").status()).isEqualTo(400);
    assertThat(operator.post("/api/v1/tunnel/close", Map.of("session_id", "x")).status())
        .isEqualTo(400);
    ApiClient.Response noCommand =
        operator.post("/api/v1/tunnel/" + session + "/command", Map.of("cmd", "id"));
    assertThat(noCommand.status()).isEqualTo(400);
    assertThat(noCommand.text("field")).isEqualTo("command");
    assertThat(noCommand.contentType()).startsWith("application/problem+json");

    ApiClient.Response otherTenant =
        server
            .loginAs(server.createTenant(), Role.OPERATOR)
            .post("/api/v1/tunnel/" + session + "/command", Map.of("command", "id"));
    assertThat(otherTenant.status()).isEqualTo(404);

    closeQuietly(operator, session);
    closeQuietly(otherOperator, theirs.text("session_id"));
  }

  @Test
  void an_agent_without_the_terminal_offline_or_refusing_is_a_clear_conflict() {
    FakeAgent plain = agent(false, true);
    ApiClient.Response noCapability = open(operator, plain);
    assertThat(noCapability.status()).as(noCapability.toString()).isEqualTo(409);
    assertThat(noCapability.text("detail")).contains("tunnel").contains("terminal.enabled");
    assertThat(noCapability.contentType()).startsWith("application/problem+json");

    EnrolledTestAgent offline = server.enrollAgent(tenant, "tunnel-offline");
    ApiClient.Response notConnected = open(operator, offline.id());
    assertThat(notConnected.status()).isEqualTo(409);
    assertThat(notConnected.text("field")).isEqualTo("agent_id");

    // Reports the capability but its terminal is disabled (an agent built before the flag).
    FakeAgent refusing = agent(true, false);
    ApiClient.Response refused = open(operator, refusing);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.text("detail")).contains("terminal_disabled");
    JsonNode sessions =
        operator.get("/api/v1/tunnel/status?include_closed=true").json().path("sessions");
    JsonNode last = sessions.get(0);
    assertThat(last.path("agent_id").asText()).isEqualTo(refusing.id);
    assertThat(last.path("status").asText()).isEqualTo("error");
    assertThat(last.path("close_reason").asText()).startsWith("terminal_disabled");
  }

  @Test
  void the_stream_carries_keystrokes_and_output_and_says_why_it_ends_when_the_agent_dies()
      throws Exception {
    FakeAgent agent = agent(true, true);
    String session = open(operator, agent).text("session_id");
    String token = operatorToken();

    try (OperatorStream stream =
        OperatorStream.connect(streamUrl(session) + "?cols=100&rows=30&access_token=" + token)) {
      assertThat(stream.next("status").path("status").asText()).isEqualTo("ready");
      JsonNode terminalOpen = agent.nextData("terminal_open");
      assertThat(terminalOpen.path("payload").path("cols").asInt()).isEqualTo(100);

      stream.send("{\"type\":\"input\",\"data\":\"echo hi\\r\"}");
      assertThat(agent.nextData("terminal_input").path("payload").path("data").asText())
          .isEqualTo("echo hi\r");
      assertThat(stream.next("output").path("data").asText()).isEqualTo("echo hi\r");

      stream.send("{\"type\":\"resize\",\"cols\":120,\"rows\":40}");
      assertThat(agent.nextData("terminal_resize").path("payload").path("cols").asInt())
          .isEqualTo(120);

      agent.close();
      JsonNode ended = stream.next("status");
      assertThat(ended.path("status").asText()).isEqualTo("closed");
      assertThat(ended.path("reason").asText()).isEqualTo("agent_disconnected");
      assertThat(stream.closeCode()).isEqualTo(4000);
    }
    JsonNode view = operator.get("/api/v1/tunnel/status?session_id=" + session).json();
    assertThat(view.path("status").asText()).isEqualTo("closed");
    assertThat(view.path("close_reason").asText()).isEqualTo("agent_disconnected");

    // Typed lines are command lines in the transcript, which an auditor can read.
    ApiClient auditor = server.loginAs(tenant, Role.AUDITOR);
    ApiClient.Response transcript = auditor.get("/api/v1/tunnel/" + session + "/transcript");
    assertThat(transcript.status()).as(transcript.toString()).isEqualTo(200);
    assertThat(kinds(transcript.json())).contains("open", "ready", "command", "output", "close");
    assertThat(transcript.body()).contains("echo hi");
  }

  @Test
  void the_stream_refuses_without_a_credential_or_permission_and_an_abandoned_session_ends()
      throws Exception {
    FakeAgent agent = agent(true, true);
    String session = open(operator, agent).text("session_id");
    assertThat(streamUpgradeStatus(session, null)).isEqualTo(401);
    assertThat(streamUpgradeStatus(session, tokenOf(server.loginAs(tenant, Role.AUDITOR))))
        .isEqualTo(403);

    try (OperatorStream stream = OperatorStream.connect(streamUrl(session), operatorToken())) {
      assertThat(stream.next("status").path("status").asText()).isEqualTo("ready");
    }
    // A dropped stream (a reload, a network blip) may come back within the grace period.
    clock.advance(Duration.ofSeconds(20));
    assertThat(sessionOf(operator, session).path("status").asText()).isEqualTo("ready");
    try (OperatorStream stream = OperatorStream.connect(streamUrl(session), operatorToken())) {
      assertThat(stream.next("status").path("status").asText()).isEqualTo("ready");
    }
    clock.advance(Duration.ofSeconds(20));
    assertThat(sessionOf(operator, session).path("status").asText()).isEqualTo("ready");
    // The server learns of the close asynchronously, so the clock moves on until the sweep sees the
    // grace run out (30 s steps, far from the 15-minute idle timeout within this wait).
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(750))
        .until(
            () -> {
              clock.advance(Duration.ofSeconds(30));
              return operator
                  .get("/api/v1/tunnel/status?session_id=" + session)
                  .text("close_reason")
                  .equals("operator_disconnected");
            });
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.closed.contains(session));
  }

  @Test
  void a_tenant_policy_refuses_command_lines_and_the_refusal_is_recorded() throws Exception {
    ApiClient admin = server.loginAs(tenant, Role.TENANT_ADMIN);
    ApiClient.Response bad = admin.put("/api/v1/tunnel/policy", Map.of("deny", List.of("(")));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.text("field")).isEqualTo("deny[0]");
    ApiClient.Response set =
        admin.put("/api/v1/tunnel/policy", Map.of("deny", List.of("rm\\s+-rf")));
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    try {
      FakeAgent agent = agent(true, true);
      String session = open(operator, agent).text("session_id");
      ApiClient.Response denied =
          operator.post(
              "/api/v1/tunnel/" + session + "/command", Map.of("command", "rm  -rf /srv/data"));
      assertThat(denied.status()).as(denied.toString()).isEqualTo(403);
      assertThat(denied.text("field")).isEqualTo("command");
      assertThat(agent.commands).isEmpty();
      assertThat(
              operator
                  .post("/api/v1/tunnel/" + session + "/command", Map.of("command", "ls /srv"))
                  .status())
          .isEqualTo(200);
      assertThat(agent.commands).containsExactly("ls /srv");

      // With a policy the stream is line-buffered: a refused line never reaches the agent.
      try (OperatorStream stream =
          OperatorStream.connect(streamUrl(session) + "?access_token=" + operatorToken())) {
        assertThat(stream.next("status").path("status").asText()).isEqualTo("ready");
        agent.nextData("terminal_open");
        stream.send("{\"type\":\"input\",\"data\":\"rm -rf \"}");
        stream.send("{\"type\":\"input\",\"data\":\"/srv\\r\"}");
        assertThat(stream.next("error").path("error").asText()).contains("policy");
        stream.send("{\"type\":\"input\",\"data\":\"df -h\\r\"}");
        assertThat(agent.nextData("terminal_input").path("payload").path("data").asText())
            .isEqualTo("df -h\r");
      }
      assertThat(operator.post("/api/v1/tunnel/close", Map.of("session_id", session)).status())
          .isEqualTo(200);
      await().atMost(Duration.ofSeconds(5)).until(() -> agent.closed.contains(session));
      ApiClient.Response transcript = admin.get("/api/v1/tunnel/" + session + "/transcript");
      assertThat(kinds(transcript.json())).contains("denied", "command", "output");
      assertThat(operator.get("/api/v1/tunnel/" + session + "/transcript").status()).isEqualTo(403);
      JsonNode audit =
          server.admin().get("/api/v1/audit?action=tunnel.command_line&limit=50").json();
      assertThat(audit.toString())
          .contains("rm  -rf /srv/data")
          .contains("ls /srv")
          .contains("rm -rf /srv")
          .contains("df -h");
      closeQuietly(operator, session);
    } finally {
      admin.put("/api/v1/tunnel/policy", Map.of("deny", List.of(), "allow", List.of()));
    }
  }

  @Test
  void idle_sessions_close_after_15_minutes_and_every_session_after_its_maximum_length() {
    FakeAgent agent = agent(true, true);
    String idle = open(operator, agent).text("session_id");
    clock.advance(Duration.ofMinutes(14));
    assertThat(sessionOf(operator, idle).path("status").asText()).isEqualTo("ready");
    clock.advance(Duration.ofMinutes(2));
    awaitClosed(operator, idle, "idle_timeout");
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.closed.contains(idle));

    // Busy all along, past the 8 h maximum (the admin client logs in again as the clock moves).
    String busy = open(server.admin(), agent).text("session_id");
    for (int step = 0; step < 34; step++) { // 34 x 14 min = 7 h 56 min
      clock.advance(Duration.ofMinutes(14));
      ApiClient.Response ran =
          server.admin().post("/api/v1/tunnel/" + busy + "/command", Map.of("command", "date"));
      assertThat(ran.status()).as(ran.toString()).isEqualTo(200);
    }
    clock.advance(Duration.ofMinutes(14));
    awaitClosed(server.admin(), busy, "max_duration");
  }

  @Test
  void one_operator_holds_at_most_three_open_sessions() {
    ApiClient busy = server.loginAs(tenant, Role.OPERATOR);
    for (int i = 0; i < 3; i++) {
      assertThat(open(busy, agent(true, true)).status()).isEqualTo(200);
    }
    ApiClient.Response fourth = open(busy, agent(true, true));
    assertThat(fourth.status()).as(fourth.toString()).isEqualTo(409);
    assertThat(fourth.text("field")).isEqualTo("sessions");
    JsonNode open = busy.get("/api/v1/tunnel/status").json().path("sessions");
    assertThat(open.size()).isEqualTo(3);
    closeQuietly(busy, open.get(0).path("session_id").asText());
    assertThat(open(busy, agent(true, true)).status()).isEqualTo(200);
  }

  @Test
  void a_restart_leaves_no_session_open() {
    try (TestServer restarted = TestServer.start(kind(), clock)) {
      TunnelRepository repository = JdbcTunnelRepository.create(restarted.database().database());
      EnrolledTestAgent enrolled = restarted.enrollAgent("tunnel-crash");
      UserId admin =
          UserId.of(
              restarted
                  .admin()
                  .get("/api/v1/users?limit=1")
                  .json()
                  .path("users")
                  .get(0)
                  .path("id")
                  .asText());
      // A session a crashed node left open: nobody has vouched for it since.
      Instant long_ago = clock.instant().minus(Duration.ofMinutes(10));
      TunnelSession leftover =
          new TunnelSession(
              Ids.newId(),
              TenantId.of(
                  restarted.admin().get("/api/v1/agents/" + enrolled.id()).text("tenant_id")),
              admin,
              AgentId.of(enrolled.id()),
              dev.courier.server.tunnel.TunnelStatus.READY,
              long_ago,
              long_ago,
              null,
              null,
              null,
              long_ago.plus(Duration.ofHours(8)),
              "node-crashed",
              long_ago,
              0,
              0,
              0,
              0,
              false);
      repository.insert(leftover);
      try (CourierServer next = restarted.startAnotherNode()) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> !repository.find(leftover.id()).orElseThrow().isOpen());
        TunnelSession closed = repository.find(leftover.id()).orElseThrow();
        assertThat(closed.closeReason()).isIn("server_restart", "node_lost");
        assertThat(repository.allOpen(100)).isEmpty();
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  ApiClient.Response open(ApiClient client, FakeAgent agent) {
    return open(client, agent.id);
  }

  private static ApiClient.Response open(ApiClient client, String agentId) {
    return client.post("/api/v1/tunnel/open", Map.of("agent_id", agentId));
  }

  private static void closeQuietly(ApiClient client, String session) {
    client.post("/api/v1/tunnel/close", Map.of("session_id", session));
  }

  private static JsonNode sessionOf(ApiClient client, String session) {
    return client.get("/api/v1/tunnel/status?session_id=" + session).json();
  }

  private static void awaitClosed(ApiClient client, String session, String reason) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sessionOf(client, session).path("status").asText().equals("closed"));
    assertThat(sessionOf(client, session).path("close_reason").asText()).isEqualTo(reason);
  }

  private static List<String> kinds(JsonNode transcript) {
    return java.util.stream.StreamSupport.stream(transcript.path("entries").spliterator(), false)
        .map(entry -> entry.path("kind").asText())
        .toList();
  }

  String streamUrl(String session) {
    return streamUrl(server.server().port(), session);
  }

  static String streamUrl(int port, String session) {
    return "ws://127.0.0.1:" + port + "/api/v1/tunnel/" + session + "/stream";
  }

  String operatorToken() {
    return tokenOf(operator);
  }

  private String otherOperatorToken() {
    return tokenOf(otherOperator);
  }

  private static String tokenOf(ApiClient client) {
    return client.bearer();
  }

  /** The HTTP status of a stream upgrade refused before any WebSocket exists. */
  private int streamUpgradeStatus(String session, String token) {
    try {
      OperatorStream.connect(streamUrl(session), token).close();
      return 101;
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException handshake) {
        return handshake.getResponse().statusCode();
      }
      throw e;
    }
  }

  /** An enrolled agent on a raw socket that answers tunnel frames as the real agent does. */
  FakeAgent agent(boolean reportsTunnel, boolean terminalEnabled) {
    return agent(server.webSocketUrl(), reportsTunnel, terminalEnabled);
  }

  /** The same, connected to the server at {@code webSocketUrl} (another node, say). */
  FakeAgent agent(String webSocketUrl, boolean reportsTunnel, boolean terminalEnabled) {
    EnrolledTestAgent enrolled = server.enrollAgent(tenant, "tunnel-agent");
    FakeAgent agent =
        new FakeAgent(enrolled.id(), webSocketUrl, enrolled.key(), reportsTunnel, terminalEnabled);
    agents.add(agent);
    return agent;
  }

  static final class FakeAgent implements AutoCloseable {
    final String id;
    final RawAgentSocket socket;
    final List<String> opened = new CopyOnWriteArrayList<>();
    final List<String> closed = new CopyOnWriteArrayList<>();
    final List<String> commands = new CopyOnWriteArrayList<>();
    final BlockingQueue<JsonNode> terminal = new LinkedBlockingQueue<>();
    private volatile boolean running = true;

    FakeAgent(String id, String url, String key, boolean reportsTunnel, boolean terminalEnabled) {
      this.id = id;
      this.socket = RawAgentSocket.connect(url, key);
      socket.next(ServerFrame.AuthAck.class);
      socket.send(
          new AgentFrame.Heartbeat(
              "1.0.0", "tunnel-host", 1L, reportsTunnel ? List.of("tunnel") : List.of(), 0));
      socket.next(ServerFrame.Ack.class);
      Thread.ofVirtual().start(() -> answer(terminalEnabled));
    }

    private void answer(boolean terminalEnabled) {
      while (running) {
        ServerFrame frame;
        try {
          frame = socket.next();
        } catch (AssertionError quiet) {
          continue;
        } catch (RuntimeException gone) {
          return;
        }
        switch (frame) {
          case ServerFrame.TunnelOpen open -> {
            opened.add(open.sessionId());
            socket.send(
                terminalEnabled
                    ? new AgentFrame.TunnelReady(open.sessionId())
                    : new AgentFrame.TunnelError(
                        open.sessionId(),
                        "terminal_disabled: the terminal is not enabled on this agent"));
          }
          case ServerFrame.TunnelClose close -> closed.add(close.sessionId());
          case TunnelData data -> onData(data);
          default -> {}
        }
      }
    }

    private void onData(TunnelData data) {
      String type = data.data().path("type").asText();
      JsonNode payload = data.data().path("payload");
      terminal.add(data.data());
      if (type.equals("terminal")) {
        String command = payload.path("command").asText();
        commands.add(command);
        socket.send(new TunnelData(data.channelId(), output("ran: " + command + "\n", 0)));
      } else if (type.equals("terminal_input")) {
        socket.send(new TunnelData(data.channelId(), output(payload.path("data").asText(), null)));
      }
    }

    private static ObjectNode output(String stdout, Integer exitCode) {
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      data.put("type", "terminal_output");
      ObjectNode payload = data.putObject("payload");
      payload.put("stdout", stdout).put("stderr", "");
      if (exitCode == null) {
        payload.putNull("exit_code");
      } else {
        payload.put("exit_code", exitCode);
      }
      return data;
    }

    JsonNode nextData(String type) throws InterruptedException {
      for (int i = 0; i < 20; i++) {
        JsonNode data = terminal.poll(10, TimeUnit.SECONDS);
        if (data == null) {
          break;
        }
        if (data.path("type").asText().equals(type)) {
          return data;
        }
      }
      throw new AssertionError("the agent got no " + type);
    }

    @Override
    public void close() {
      running = false;
      socket.close();
    }
  }

  /** Session ids of a status list. */
  private static final class ApiClientIds {
    static List<String> sessionIds(JsonNode sessions) {
      return java.util.stream.StreamSupport.stream(sessions.spliterator(), false)
          .map(s -> s.path("session_id").asText())
          .toList();
    }
  }
}
