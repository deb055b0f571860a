package dev.courier.agent.sdk.internal;

import dev.courier.agent.sdk.AgentIdentity;
import dev.courier.agent.sdk.TunnelHandler;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.envelope.SignedEnvelope;
import dev.courier.protocol.frame.AgentFrame;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import dev.courier.protocol.frame.FrameCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to the server (seed 001 framing), from opening to close: opens it,
 * authenticates with a first {@code auth} frame (which also tells the server the agent's version
 * and capabilities), then heartbeats and watches for silence until it closes. A session is used
 * once; the runtime opens a new one to reconnect.
 *
 * <p>This class owns the connection and its state: the socket, whether authentication succeeded,
 * whether the session is closed, and why the server refused the key. Two helpers do the rest and
 * call back here for every change of that state, so each transition happens in one place: {@link
 * SocketSender} sends frames (and waits for the replies to acknowledge and result frames), and
 * {@link ServerFrameDispatcher} reads what the server sends and routes each frame.
 *
 * <p>Thread safety: {@code auth} and {@code closed} are futures completed at most once, by
 * whichever thread sees the event first (later completions are no-ops); the other fields are
 * volatile, written by the socket's listener thread or by {@link #run} and read from any thread.
 */
public final class SocketSession implements AgentLink {

  private static final Logger log = LoggerFactory.getLogger(SocketSession.class);

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);
  private static final int CLOSE_AUTH_FAILED = 4401;

  /** What the session reports to the agent. Called on virtual threads, never on the socket's. */
  public interface Handler {
    /** The server answered {@code auth_ack}. */
    void authenticated(SocketSession session);

    /** A {@code command} frame arrived. */
    void command(SignedEnvelope envelope);

    /** A {@code command} frame arrived that could not be read; {@code id} when it had one. */
    void malformedCommand(CommandId id, String problem);

    /** A {@code cancel} frame arrived. */
    void cancel(CommandId id, String reason);

    /** A {@code command_available} frame arrived: poll now. */
    void commandAvailable();
  }

  /** How a session ended. */
  public enum End {
    /** The socket could not be opened or authenticated for a reason worth retrying. */
    NOT_OPENED,
    /** The server refused the agent key. */
    UNAUTHORIZED,
    /** It was open and authenticated, then closed. */
    CLOSED
  }

  private final URI uri;
  private final AgentIdentity identity;
  private final HttpClient client;
  private final Handler handler;
  private final Clock clock;
  private final SocketSender sender;
  private final ServerFrameDispatcher dispatcher;
  private final TunnelSessions tunnels;
  private final CompletableFuture<Boolean> auth = new CompletableFuture<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private volatile WebSocket socket;
  private volatile String unauthorizedDetail;
  private volatile Integer serverHeartbeatSeconds;
  private volatile String endReason = "the connection to the server was lost";

  public SocketSession(
      URI uri,
      AgentIdentity identity,
      HttpClient client,
      FrameCodec codec,
      Handler handler,
      TunnelHandler tunnelHandler,
      Clock clock) {
    this.uri = uri;
    this.identity = identity;
    this.client = client;
    this.handler = handler;
    this.clock = clock;
    this.sender = new SocketSender(this, codec, clock);
    this.tunnels = new TunnelSessions(tunnelHandler, sender::send);
    this.dispatcher = new ServerFrameDispatcher(this, sender, handler, tunnels, codec, clock);
  }

  /**
   * Connects, authenticates and serves the connection until it closes or {@link #close(String)} is
   * called. Blocks.
   *
   * @param heartbeat builds each heartbeat frame
   * @param heartbeatInterval the agent's interval; the server's, if shorter, wins
   */
  public End run(
      String version,
      List<String> capabilities,
      Supplier<AgentFrame.Heartbeat> heartbeat,
      Duration heartbeatInterval) {
    try {
      socket =
          client
              .newWebSocketBuilder()
              .connectTimeout(CONNECT_TIMEOUT)
              .buildAsync(uri, dispatcher)
              .get(CONNECT_TIMEOUT.toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException handshake
          && handshake.getResponse().statusCode() == 401) {
        unauthorizedDetail = "WebSocket upgrade answered 401";
        return End.UNAUTHORIZED;
      }
      log.debug("WebSocket to {} not opened: {}", uri, String.valueOf(e.getCause()));
      return End.NOT_OPENED;
    } catch (TimeoutException e) {
      log.debug("WebSocket to {} not opened in time", uri);
      return End.NOT_OPENED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return End.NOT_OPENED;
    }
    try {
      sender.send(
          new AgentFrame.Auth(identity.agentId(), identity.agentKey(), version, capabilities));
      if (!auth.get(AUTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        abort();
        return unauthorizedDetail != null ? End.UNAUTHORIZED : End.NOT_OPENED;
      }
    } catch (IOException | ExecutionException | TimeoutException e) {
      log.debug("WebSocket to {} not authenticated: {}", uri, e.toString());
      abort();
      return unauthorizedDetail != null ? End.UNAUTHORIZED : End.NOT_OPENED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort();
      return End.NOT_OPENED;
    }
    Thread outputSender = Thread.ofVirtual().name("courier-ws-output").start(sender::sendOutput);
    handler.authenticated(this);
    try {
      serve(heartbeat, effectiveInterval(heartbeatInterval));
    } finally {
      // Tunnel sessions die with the connection (the server forgets them too): their processes
      // are killed before the agent reconnects or exits.
      tunnels.closeAll(endReason);
      outputSender.interrupt();
      sender.failReplies();
    }
    return unauthorizedDetail != null ? End.UNAUTHORIZED : End.CLOSED;
  }

  /**
   * Heartbeats every {@code interval} until the session closes, and gives up on a server that has
   * sent nothing for three intervals (plus slack): a half-open TCP connection never closes itself.
   */
  private void serve(Supplier<AgentFrame.Heartbeat> heartbeat, Duration interval) {
    Duration silenceLimit = interval.multipliedBy(3).plusSeconds(10);
    while (!closed.isDone()) {
      try {
        closed.get(interval.toMillis(), TimeUnit.MILLISECONDS);
        break;
      } catch (TimeoutException e) {
        // time for a heartbeat
      } catch (ExecutionException e) {
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort();
        break;
      }
      if (Duration.between(dispatcher.lastReceived(), clock.instant()).compareTo(silenceLimit)
          > 0) {
        log.warn("No frame from the server for {}; reconnecting", silenceLimit);
        abort();
        break;
      }
      try {
        sender.send(heartbeat.get());
      } catch (IOException e) {
        log.debug("Heartbeat not sent: {}", e.toString());
        abort();
        break;
      }
    }
  }

  /** The server's interval wins when it is shorter: it decides when an agent counts as offline. */
  private Duration effectiveInterval(Duration configured) {
    Integer server = serverHeartbeatSeconds;
    if (server != null && server > 0 && Duration.ofSeconds(server).compareTo(configured) < 0) {
      return Duration.ofSeconds(server);
    }
    return configured;
  }

  /** Closes the connection politely; {@link #run} returns soon after. */
  public void close(String reason) {
    endReason = reason;
    WebSocket ws = socket;
    if (ws != null && !ws.isOutputClosed()) {
      try {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, reason).get(2, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // the server is gone anyway
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    abort();
  }

  /** Drops the connection at once and fails everything waiting on it. */
  void abort() {
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
    closed.complete("aborted");
    auth.complete(false);
    sender.failReplies();
  }

  /** True while authenticated and not closed. */
  public boolean isOpen() {
    return auth.isDone() && auth.getNow(false) && !closed.isDone();
  }

  /** True once the session has closed, for whatever reason. */
  boolean isClosed() {
    return closed.isDone();
  }

  /** The open socket; null until connected. */
  WebSocket socket() {
    return socket;
  }

  /** Why the server refused the key, when it did. */
  public String unauthorizedDetail() {
    return unauthorizedDetail;
  }

  // ---- state changes reported by the dispatcher, on the socket's listener thread ----

  /** The server answered {@code auth_ack}, perhaps with its own heartbeat interval. */
  void authAccepted(Integer heartbeatIntervalSeconds) {
    serverHeartbeatSeconds = heartbeatIntervalSeconds;
    auth.complete(true);
  }

  /** The server answered the {@code auth} frame with {@code unauthenticated}. */
  void authRefused(String detail) {
    unauthorizedDetail = detail;
    auth.complete(false);
  }

  /** The server closed the socket; 4401 means it refused the key. */
  void closedByServer(int statusCode, String reason) {
    if (statusCode == CLOSE_AUTH_FAILED) {
      if (unauthorizedDetail == null) {
        unauthorizedDetail = reason == null || reason.isBlank() ? "authentication failed" : reason;
      }
      auth.complete(false);
    }
    log.debug("WebSocket closed by the server: {} {}", statusCode, reason);
    closed.complete("closed " + statusCode);
    auth.complete(false);
    sender.failReplies();
  }

  /** The socket failed. */
  void failed(Throwable error) {
    log.debug("WebSocket error: {}", error.toString());
    closed.complete("error");
    auth.complete(false);
    sender.failReplies();
  }

  // ---- AgentLink, and live output: sent by the SocketSender ----

  @Override
  public Ack acknowledge(CommandId id) {
    return sender.acknowledge(id);
  }

  @Override
  public void reportRunning(CommandId id) {
    sender.reportRunning(id);
  }

  @Override
  public Delivery sendResult(CommandResult result) {
    return sender.sendResult(result);
  }

  @Override
  public String name() {
    return "websocket";
  }

  /** Queues a {@code command_output} chunk; dropped when the queue is full or the socket down. */
  public void output(CommandId id, String stream, String text) {
    sender.output(id, stream, text);
  }
}
