package dev.courier.server.ws;

import dev.courier.protocol.frame.AgentFrame;
import dev.courier.protocol.frame.FrameCodec;
import dev.courier.protocol.frame.FrameDecodeException;
import dev.courier.protocol.frame.FrameType;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.protocol.http.ResultReport;
import dev.courier.server.agent.Agent;
import dev.courier.server.agent.AgentService;
import dev.courier.server.agent.Secrets;
import dev.courier.server.command.Command;
import dev.courier.server.command.CommandDelivery;
import dev.courier.server.command.CommandOutputs;
import dev.courier.server.command.ReportOutcome;
import dev.courier.server.command.ReportedResult;
import dev.courier.server.error.ConflictException;
import dev.courier.server.error.CourierException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.error.NotFoundException;
import dev.courier.server.error.UnauthorizedException;
import dev.courier.server.http.RequestAuth;
import dev.courier.server.http.RouteModule;
import dev.courier.server.tunnel.TunnelService;
import io.javalin.config.RoutesConfig;
import io.javalin.websocket.WsContext;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/agents/ws}: the agent's WebSocket (seed 001 framing). Authenticates by the
 * upgrade's bearer key or a first {@code auth} frame, pushes pending work on connect, and turns
 * every agent frame into a command-service call, answered with {@code ack} once it is committed, or
 * an {@code error} frame that says why not. A malformed or unknown frame gets an error, never a
 * silent drop.
 */
public final class AgentSocket implements RouteModule {

  private static final Logger log = LoggerFactory.getLogger(AgentSocket.class);

  static final String PATH = "/api/v1/agents/ws";
  private static final String AGENT = "courier.agent";
  private static final String KEY_HASH = "courier.key-hash";
  private static final String CONNECTION = "courier.connection";

  /** Close code when the first frame is not a valid {@code auth}. */
  static final int AUTH_FAILED = 4401;

  private final RequestAuth auth;
  private final AgentService agents;
  private final CommandDelivery delivery;
  private final StaleDeliveries staleDeliveries;
  private final CommandOutputs outputs;
  private final AgentGateway gateway;
  private final FrameCodec codec;
  private final Clock clock;
  private final TunnelService tunnels;

  public AgentSocket(
      RequestAuth auth,
      AgentService agents,
      CommandDelivery delivery,
      CommandOutputs outputs,
      AgentGateway gateway,
      FrameCodec codec,
      Clock clock,
      TunnelService tunnels,
      StaleDeliveries staleDeliveries) {
    this.auth = auth;
    this.agents = agents;
    this.delivery = delivery;
    this.staleDeliveries = staleDeliveries;
    this.outputs = outputs;
    this.gateway = gateway;
    this.codec = codec;
    this.clock = clock;
    this.tunnels = tunnels;
  }

  @Override
  public void register(RoutesConfig routes) {
    // A bad key in the upgrade request is refused with 401 before any WebSocket exists.
    routes.wsBeforeUpgrade(
        PATH,
        ctx -> {
          Optional<String> key = RequestAuth.bearer(ctx);
          if (key.isPresent()) {
            ctx.attribute(AGENT, auth.agent(ctx));
            ctx.attribute(KEY_HASH, Secrets.hash(key.get()));
          }
        });
    routes.ws(
        PATH,
        ws -> {
          ws.onConnect(
              ctx -> {
                // Once per heartbeat interval, like the agent's heartbeats: enough for a balancer
                // whose idle timeout exceeds the interval (docs/scale-out.md). Javalin's default of
                // 15 s was 11 % of an idle server's CPU with 10,000 agents.
                ctx.enableAutomaticPings(
                    agents.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
                Agent agent = ctx.attribute(AGENT);
                if (agent != null) {
                  authenticated(ctx, agent, ctx.attribute(KEY_HASH));
                }
              });
          ws.onMessage(ctx -> onFrame(ctx, ctx.message()));
          ws.onClose(
              ctx -> {
                AgentConnection connection = ctx.attribute(CONNECTION);
                if (connection != null) {
                  gateway.unregister(connection);
                  log.info("Agent {} disconnected", connection.agent().id());
                  // The agent ends its sessions when its socket drops; so does the server.
                  tunnels.agentDisconnected(connection.agent().id());
                }
              });
          ws.onError(ctx -> log.debug("Agent socket error: {}", String.valueOf(ctx.error())));
        });
  }

  private void authenticated(WsContext ctx, Agent agent, String keyHash) {
    AgentConnection connection = new AgentConnection(ctx, agent, keyHash, codec);
    ctx.attribute(CONNECTION, connection);
    gateway.register(connection);
    connection.send(
        new ServerFrame.AuthAck(
            agent.id(), clock.instant(), (int) agents.heartbeatInterval().toSeconds()));
    log.info("Agent {} ({}) connected", agent.id(), agent.hostname());
    for (Command command : delivery.pending(agent, CommandDelivery.MAX_BATCH)) {
      gateway.commandReady(command);
    }
    // A cancel requested while the agent was away (or whose note another node missed) was never
    // sent; the agent confirms it, or reports a command it no longer knows as cancelled.
    for (Command command : delivery.cancelling(agent, CommandDelivery.MAX_BATCH)) {
      gateway.cancelRequested(command);
    }
  }

  private void onFrame(WsContext ctx, String text) {
    AgentConnection connection = ctx.attribute(CONNECTION);
    AgentFrame frame;
    try {
      frame = codec.decodeFromAgent(text);
    } catch (FrameDecodeException e) {
      send(
          ctx,
          connection,
          new ServerFrame.ErrorFrame(
              e.errorCode(), e.getMessage(), e.frameType().orElse(null), null));
      return;
    }
    if (connection == null) {
      firstFrame(ctx, frame);
      return;
    }
    if (!isPipelined(frame)) {
      // Anything else reads what the writes before it wrote (output of a command just started).
      connection.awaitReplies();
    }
    try {
      handle(connection, frame);
    } catch (RuntimeException e) {
      connection.replyInOrder(CompletableFuture.completedFuture(errorFor(connection, frame, e)));
    }
  }

  /**
   * Reports and heartbeats are written without waiting for their commit (see {@link
   * #replyOnceWritten}); every other frame is handled once the writes before it are answered.
   */
  private static boolean isPipelined(AgentFrame frame) {
    return frame instanceof AgentFrame.CommandStatusReport
        || frame instanceof AgentFrame.CommandResult
        || frame instanceof AgentFrame.Heartbeat;
  }

  /**
   * Answers a report or heartbeat once its write, queued behind the agent's earlier ones,
   * committed; the socket meanwhile reads the agent's next frame, so an agent that reports {@code
   * running} and its result back to back gets both written in one commit instead of one after the
   * other.
   */
  private static <T> void replyOnceWritten(
      AgentConnection connection,
      AgentFrame frame,
      CompletableFuture<T> written,
      Function<T, ServerFrame> ack) {
    connection.replyInOrder(
        written.handle(
            (outcome, failure) ->
                failure == null
                    ? ack.apply(outcome)
                    : errorFor(connection, frame, unwrap(failure))));
  }

  private CompletableFuture<ReportOutcome> statusReport(
      Agent agent, AgentFrame.CommandStatusReport report) {
    return switch (report.status()) {
      case ACCEPTED -> delivery.acknowledgeLater(agent, report.commandId());
      case RUNNING -> delivery.startLater(agent, report.commandId());
      default ->
          throw new InvalidInputException(
              "command_status carries accepted or running; results go in command_result", "status");
    };
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException wrapped && wrapped.getCause() != null
        ? wrapped.getCause()
        : failure;
  }

  /** The error frame that answers a frame the server refused or failed to process. */
  private static ServerFrame errorFor(AgentConnection connection, AgentFrame frame, Throwable e) {
    if (e instanceof CourierException refused) {
      return new ServerFrame.ErrorFrame(
          codeOf(refused), refused.getMessage(), typeOf(frame), commandOf(frame));
    }
    log.error("Agent {} frame {} failed", connection.agent().id(), typeOf(frame), e);
    return new ServerFrame.ErrorFrame(
        "internal", "the server failed to process the frame", typeOf(frame), commandOf(frame));
  }

  private void firstFrame(WsContext ctx, AgentFrame frame) {
    if (!(frame instanceof AgentFrame.Auth authFrame)) {
      sendRaw(
          ctx,
          new ServerFrame.ErrorFrame(
              "unauthenticated", "the first frame must be auth", typeOf(frame), null));
      ctx.closeSession(AUTH_FAILED, "authenticate first");
      return;
    }
    try {
      Agent agent = agents.authenticate(authFrame.agentKey(), authFrame.agentId().value());
      agents.heartbeat(agent, authFrame.version(), authFrame.capabilities());
      authenticated(ctx, agent, Secrets.hash(authFrame.agentKey().trim()));
    } catch (UnauthorizedException e) {
      sendRaw(ctx, new ServerFrame.ErrorFrame("unauthenticated", e.getMessage(), "auth", null));
      ctx.closeSession(AUTH_FAILED, "authentication failed");
    }
  }

  private void handle(AgentConnection connection, AgentFrame frame) {
    Agent agent = connection.agent();
    switch (frame) {
      case AgentFrame.Auth ignored ->
          connection.send(
              new ServerFrame.ErrorFrame(
                  "already_authenticated",
                  "this connection is already authenticated",
                  "auth",
                  null));
      case AgentFrame.Heartbeat heartbeat -> {
        replyOnceWritten(
            connection,
            frame,
            agents.heartbeatLater(agent, heartbeat.version(), heartbeat.capabilities()),
            written -> new ServerFrame.Ack("heartbeat", null, null));
        staleDeliveries.heartbeatFrom(agent);
      }
      case AgentFrame.CommandStatusReport report ->
          replyOnceWritten(
              connection,
              frame,
              statusReport(agent, report),
              outcome ->
                  new ServerFrame.Ack("command_status", outcome.commandId(), report.status()));
      case AgentFrame.CommandResult result ->
          replyOnceWritten(
              connection,
              frame,
              delivery.reportLater(
                  agent, result.commandId(), ReportedResult.from(ResultReport.from(result))),
              outcome ->
                  new ServerFrame.Ack("command_result", outcome.commandId(), outcome.status()));
      case AgentFrame.CommandOutput output ->
          // Not acknowledged: output is best effort, and the final result carries it anyway.
          outputs.accept(
              agent, output.commandId(), output.seq(), output.stream().wireName(), output.data());
      case AgentFrame.Metrics ignored ->
          connection.send(new ServerFrame.Ack("metrics", null, null));
      case AgentFrame.NetworkState ignored ->
          connection.send(new ServerFrame.Ack("network_state", null, null));
      case AgentFrame.WatchdogEvent ignored ->
          connection.send(new ServerFrame.Ack("watchdog_event", null, null));
      case AgentFrame.UpdateResult ignored ->
          connection.send(new ServerFrame.Ack("update_result", null, null));
      case AgentFrame.TunnelReady ready -> tunnels.agentReady(agent.id(), ready.sessionId());
      case AgentFrame.TunnelError error ->
          tunnels.agentError(agent.id(), error.channelId(), error.error());
      case dev.courier.protocol.frame.TunnelData data ->
          tunnels.agentData(agent.id(), data.channelId(), data.data());
    }
  }

  private void send(WsContext ctx, AgentConnection connection, ServerFrame frame) {
    if (connection != null) {
      connection.replyInOrder(CompletableFuture.completedFuture(frame));
    } else {
      sendRaw(ctx, frame);
    }
  }

  private void sendRaw(WsContext ctx, ServerFrame frame) {
    ctx.send(codec.encode(frame));
  }

  private static String codeOf(CourierException e) {
    return switch (e) {
      case ConflictException ignored -> ServerFrame.ErrorFrame.CONFLICT;
      case NotFoundException ignored -> "not_found";
      case UnauthorizedException ignored -> "unauthenticated";
      default -> ServerFrame.ErrorFrame.INVALID_PAYLOAD;
    };
  }

  private static String typeOf(AgentFrame frame) {
    return FrameType.of(frame).wireName();
  }

  private static dev.courier.protocol.CommandId commandOf(AgentFrame frame) {
    return switch (frame) {
      case AgentFrame.CommandStatusReport report -> report.commandId();
      case AgentFrame.CommandResult result -> result.commandId();
      case AgentFrame.CommandOutput output -> output.commandId();
      default -> null;
    };
  }
}
