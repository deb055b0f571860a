package dev.courier.agent.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.ProtocolJson;
import dev.courier.protocol.envelope.EnvelopeKeys;
import dev.courier.protocol.envelope.EnvelopeSigner;
import dev.courier.protocol.envelope.SignedEnvelope;
import dev.courier.protocol.frame.AgentFrame;
import dev.courier.protocol.frame.FrameCodec;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.protocol.http.HeartbeatResponse;
import dev.courier.protocol.http.PollResponse;
import dev.courier.protocol.http.PolledCommand;
import io.javalin.Javalin;
import io.javalin.http.ServiceUnavailableResponse;
import io.javalin.json.JavalinJackson;
import io.javalin.websocket.WsContext;
import java.net.URI;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted stand-in for the server on 127.0.0.1:0, for what the real server cannot produce:
 * tampered, expired and misaddressed envelopes, replays, refused acknowledges, withheld result
 * acks, a socket that refuses upgrades. It signs with its own key and records what the agent says,
 * in order, as short event strings such as {@code "accepted c1"} or {@code "result c1 failed"}.
 */
final class FakePeer implements AutoCloseable {

  static final AgentId AGENT = AgentId.of("agent-under-test");

  private static final FrameCodec CODEC = new FrameCodec();

  final KeyPair keys = EnvelopeKeys.generate();
  final EnvelopeSigner signer = new EnvelopeSigner(keys.getPrivate());
  final List<String> events = new CopyOnWriteArrayList<>();
  final Map<CommandId, AgentFrame.CommandResult> results = new ConcurrentHashMap<>();
  final List<PolledCommand> pendingForPoll = new CopyOnWriteArrayList<>();
  final List<PolledCommand> claimedByHeartbeat = new CopyOnWriteArrayList<>();
  final AtomicInteger authAttempts = new AtomicInteger();
  final List<List<String>> authCapabilities = new CopyOnWriteArrayList<>();
  volatile boolean socketEnabled = true;
  volatile boolean ackResults = true;
  volatile boolean refuseAccepts;
  volatile boolean rejectKey;
  private volatile WsContext socket;
  private final Javalin app;

  FakePeer() {
    app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.jsonMapper(new JavalinJackson(ProtocolJson.mapper(), false));
              config.routes.wsBeforeUpgrade(
                  "/api/v1/agents/ws",
                  ctx -> {
                    if (!socketEnabled) {
                      throw new ServiceUnavailableResponse("socket disabled by the test");
                    }
                  });
              config.routes.ws(
                  "/api/v1/agents/ws",
                  ws -> {
                    ws.onMessage(ctx -> onFrame(ctx, CODEC.decodeFromAgent(ctx.message())));
                    ws.onClose(ctx -> socket = null);
                  });
              config.routes.get(
                  "/api/v1/commands",
                  ctx -> {
                    events.add("poll");
                    if (rejectKey) {
                      throw new io.javalin.http.UnauthorizedResponse("the agent key is revoked");
                    }
                    List<PolledCommand> batch = List.copyOf(pendingForPoll);
                    pendingForPoll.clear();
                    ctx.json(new PollResponse(batch, 1));
                  });
              config.routes.post(
                  "/api/v1/commands/{id}/acknowledge",
                  ctx -> {
                    events.add("accepted " + ctx.pathParam("id") + " http");
                    ctx.json(Map.of("acknowledged", true, "command_id", ctx.pathParam("id")));
                  });
              config.routes.post(
                  "/api/v1/commands/{id}/status",
                  ctx -> {
                    events.add("running " + ctx.pathParam("id") + " http");
                    ctx.json(Map.of("command_id", ctx.pathParam("id"), "status", "running"));
                  });
              config.routes.post(
                  "/api/v1/commands/{id}/result",
                  ctx -> {
                    JsonNode body = ProtocolJson.mapper().readTree(ctx.body());
                    CommandId id = CommandId.of(ctx.pathParam("id"));
                    AgentFrame.CommandResult result =
                        ProtocolJson.mapper()
                            .treeToValue(
                                ((com.fasterxml.jackson.databind.node.ObjectNode) body)
                                    .put("command_id", id.value()),
                                AgentFrame.CommandResult.class);
                    record(result, "http");
                    ctx.json(Map.of("accepted", true, "command_id", id.value()));
                  });
              config.routes.post(
                  "/api/v1/agents/heartbeat",
                  ctx -> {
                    events.add("heartbeat http");
                    List<PolledCommand> batch = List.copyOf(claimedByHeartbeat);
                    claimedByHeartbeat.clear();
                    ctx.json(new HeartbeatResponse(batch, 1, Instant.now()));
                  });
            });
    app.start("127.0.0.1", 0);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + app.port());
  }

  String publicKey() {
    return EnvelopeKeys.encodePublic(keys.getPublic());
  }

  boolean connected() {
    return socket != null;
  }

  private void onFrame(WsContext ctx, AgentFrame frame) {
    switch (frame) {
      case AgentFrame.Auth auth -> {
        authAttempts.incrementAndGet();
        authCapabilities.add(auth.capabilities());
        if (rejectKey) {
          ctx.send(
              CODEC.encode(
                  new ServerFrame.ErrorFrame(
                      "unauthenticated", "the agent key is unknown or revoked", "auth", null)));
          ctx.closeSession(4401, "authentication failed");
          return;
        }
        socket = ctx;
        ctx.send(CODEC.encode(new ServerFrame.AuthAck(auth.agentId(), Instant.now(), 30)));
      }
      case AgentFrame.CommandStatusReport report -> {
        String status = report.status().wireName();
        boolean refuse = refuseAccepts && status.equals("accepted");
        events.add(status + " " + report.commandId());
        if (refuse) {
          ctx.send(
              CODEC.encode(
                  new ServerFrame.ErrorFrame(
                      ServerFrame.ErrorFrame.CONFLICT,
                      "already acknowledged",
                      "command_status",
                      report.commandId())));
        } else {
          ctx.send(
              CODEC.encode(
                  new ServerFrame.Ack("command_status", report.commandId(), report.status())));
        }
      }
      case AgentFrame.CommandResult result -> {
        record(result, "ws");
        if (ackResults) {
          ctx.send(
              CODEC.encode(
                  new ServerFrame.Ack("command_result", result.commandId(), result.status())));
        }
      }
      case AgentFrame.Heartbeat ignored ->
          ctx.send(CODEC.encode(new ServerFrame.Ack("heartbeat", null, null)));
      case AgentFrame.TunnelReady ready -> events.add("tunnel_ready " + ready.sessionId());
      case AgentFrame.TunnelError error ->
          events.add("tunnel_error " + error.channelId() + " " + error.error());
      case dev.courier.protocol.frame.TunnelData data ->
          events.add("tunnel_data " + data.channelId() + " " + data.data());
      default -> {}
    }
  }

  private void record(AgentFrame.CommandResult result, String via) {
    results.put(result.commandId(), result);
    events.add("result " + result.commandId() + " " + result.status().wireName() + " " + via);
  }

  /** A valid envelope for the agent under test, signed by this peer. */
  SignedEnvelope envelope(String id, String type, Map<String, Object> params) {
    return signer.sign(unsigned(id, AGENT, type, params, Instant.now().plusSeconds(300)));
  }

  static SignedEnvelope unsigned(
      String id, AgentId agent, String type, Map<String, Object> params, Instant expiresAt) {
    return new SignedEnvelope(
        CommandId.of(id),
        agent,
        type,
        ProtocolJson.mapper().valueToTree(params),
        null,
        30,
        Instant.now().minusSeconds(1),
        expiresAt,
        null);
  }

  /** Pushes a {@code command} frame over the open socket. */
  void push(SignedEnvelope envelope) {
    WsContext current = socket;
    if (current == null) {
      throw new IllegalStateException("no agent socket is open");
    }
    current.send(CODEC.encode(new ServerFrame.CommandDelivery(envelope)));
  }

  /** Sends a {@code cancel} frame over the open socket. */
  void cancel(String id) {
    WsContext current = socket;
    if (current == null) {
      throw new IllegalStateException("no agent socket is open");
    }
    current.send(CODEC.encode(new ServerFrame.Cancel(CommandId.of(id), "test cancel")));
  }

  /** Sends any frame over the open socket. */
  void send(ServerFrame frame) {
    WsContext current = socket;
    if (current == null) {
      throw new IllegalStateException("no agent socket is open");
    }
    current.send(CODEC.encode(frame));
  }

  /** Closes the agent's socket from the server side. */
  void dropSocket() {
    WsContext current = socket;
    if (current != null) {
      current.closeSession(1001, "going away");
    }
  }

  /** Events about one command, in order. */
  List<String> eventsFor(String id) {
    return events.stream().filter(e -> e.contains(" " + id)).toList();
  }

  @Override
  public void close() {
    app.stop();
  }
}
