package dev.courier.agent.sdk.internal;

import dev.courier.agent.sdk.AgentIdentity;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.OutputStreamName;
import dev.courier.protocol.envelope.SignedEnvelope;
import dev.courier.protocol.frame.AgentFrame;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import dev.courier.protocol.frame.FrameCodec;
import dev.courier.protocol.frame.FrameDecodeException;
import dev.courier.protocol.frame.ServerFrame;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to the server (seed 001 framing): opens it, authenticates with a first
 * {@code auth} frame (which also tells the server the agent's version and capabilities), sends
 * heartbeats, hands incoming frames to a {@link Handler}, and matches {@code ack}/{@code error}
 * replies to the acknowledge and result frames waiting for them. A session is used once; the
 * runtime opens a new one to reconnect.
 */
public final class SocketSession implements AgentLink, WebSocket.Listener {

  private static final Logger log = LoggerFactory.getLogger(SocketSession.class);

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);
  static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);
  static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
  private static final int CLOSE_AUTH_FAILED = 4401;
  private static final int OUTPUT_QUEUE = 256;

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
  private final FrameCodec codec;
  private final Handler handler;
  private final Clock clock;
  private final Map<String, CompletableFuture<ServerFrame>> replies = new ConcurrentHashMap<>();
  private final CompletableFuture<Boolean> auth = new CompletableFuture<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private final ReentrantLock sendLock = new ReentrantLock();
  private final StringBuilder partial = new StringBuilder();
  private final BlockingQueue<AgentFrame> outputQueue = new ArrayBlockingQueue<>(OUTPUT_QUEUE);
  private final AtomicLong outputSeq = new AtomicLong();
  private volatile WebSocket socket;
  private volatile Instant lastReceived;
  private volatile String unauthorizedDetail;
  private volatile Integer serverHeartbeatSeconds;

  public SocketSession(
      URI uri,
      AgentIdentity identity,
      HttpClient client,
      FrameCodec codec,
      Handler handler,
      Clock clock) {
    this.uri = uri;
    this.identity = identity;
    this.client = client;
    this.codec = codec;
    this.handler = handler;
    this.clock = clock;
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
              .buildAsync(uri, this)
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
      send(new AgentFrame.Auth(identity.agentId(), identity.agentKey(), version, capabilities));
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
    Thread outputSender = Thread.ofVirtual().name("courier-ws-output").start(this::sendOutput);
    handler.authenticated(this);
    try {
      serve(heartbeat, effectiveInterval(heartbeatInterval));
    } finally {
      outputSender.interrupt();
      failReplies();
    }
    return unauthorizedDetail != null ? End.UNAUTHORIZED : End.CLOSED;
  }

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
      if (Duration.between(lastReceived, clock.instant()).compareTo(silenceLimit) > 0) {
        log.warn("No frame from the server for {}; reconnecting", silenceLimit);
        abort();
        break;
      }
      try {
        send(heartbeat.get());
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

  private void abort() {
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
    closed.complete("aborted");
    auth.complete(false);
    failReplies();
  }

  /** True while authenticated and not closed. */
  public boolean isOpen() {
    return auth.isDone() && auth.getNow(false) && !closed.isDone();
  }

  /** Why the server refused the key, when it did. */
  public String unauthorizedDetail() {
    return unauthorizedDetail;
  }

  // ---- AgentLink ----

  @Override
  public Ack acknowledge(CommandId id) {
    CompletableFuture<ServerFrame> reply = expect("command_status", id);
    try {
      send(new AgentFrame.CommandStatusReport(id, CommandStatus.ACCEPTED, clock.instant()));
      ServerFrame answer = reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return switch (answer) {
        case ServerFrame.Ack ignored -> Ack.ACCEPTED;
        case ServerFrame.ErrorFrame error -> {
          log.info("Not executing {}: {} ({})", id, error.message(), error.code());
          yield error.code().equals("internal") ? Ack.UNAVAILABLE : Ack.REFUSED;
        }
        default -> Ack.UNAVAILABLE;
      };
    } catch (IOException | ExecutionException | TimeoutException e) {
      log.warn("Acknowledge of {} got no answer: {}", id, e.toString());
      return Ack.UNAVAILABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Ack.UNAVAILABLE;
    } finally {
      replies.remove(key("command_status", id), reply);
    }
  }

  @Override
  public void reportRunning(CommandId id) {
    try {
      send(new AgentFrame.CommandStatusReport(id, CommandStatus.RUNNING, clock.instant()));
    } catch (IOException e) {
      log.debug("Running report for {} not sent: {}", id, e.toString());
    }
  }

  @Override
  public Delivery sendResult(CommandResult result) {
    CommandId id = result.commandId();
    CompletableFuture<ServerFrame> reply = expect("command_result", id);
    try {
      send(result);
      ServerFrame answer = reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return switch (answer) {
        case ServerFrame.Ack ignored -> Delivery.CONFIRMED;
        case ServerFrame.ErrorFrame error
            when error.code().equals(ServerFrame.ErrorFrame.CONFLICT) -> {
          log.info("Result of {} was already recorded: {}", id, error.message());
          yield Delivery.CONFIRMED;
        }
        case ServerFrame.ErrorFrame error
            when error.code().equals("not_found")
                || error.code().equals(ServerFrame.ErrorFrame.INVALID_PAYLOAD) -> {
          log.warn("Server refused the result of {}; dropping it: {}", id, error.message());
          yield Delivery.REJECTED;
        }
        default -> Delivery.RETRY;
      };
    } catch (IOException | ExecutionException | TimeoutException e) {
      log.debug("Result of {} not confirmed over the socket: {}", id, e.toString());
      return Delivery.RETRY;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Delivery.RETRY;
    } finally {
      replies.remove(key("command_result", id), reply);
    }
  }

  @Override
  public String name() {
    return "websocket";
  }

  /** Queues a {@code command_output} chunk; dropped when the queue is full or the socket down. */
  public void output(CommandId id, String stream, String text) {
    if (!isOpen()) {
      return;
    }
    OutputStreamName name;
    try {
      name = OutputStreamName.fromWire(stream);
    } catch (IllegalArgumentException e) {
      name = OutputStreamName.STDOUT;
    }
    outputQueue.offer(new AgentFrame.CommandOutput(id, outputSeq.getAndIncrement(), name, text));
  }

  private void sendOutput() {
    try {
      while (true) {
        AgentFrame frame = outputQueue.take();
        try {
          send(frame);
        } catch (IOException e) {
          outputQueue.clear();
        }
      }
    } catch (InterruptedException e) {
      // session over
    }
  }

  private CompletableFuture<ServerFrame> expect(String of, CommandId id) {
    CompletableFuture<ServerFrame> reply = new CompletableFuture<>();
    if (closed.isDone()) {
      reply.completeExceptionally(new IOException("socket closed"));
    } else {
      replies.put(key(of, id), reply);
    }
    return reply;
  }

  private void failReplies() {
    replies.values().forEach(r -> r.completeExceptionally(new IOException("socket closed")));
    replies.clear();
  }

  private static String key(String of, CommandId id) {
    return of + "|" + (id == null ? "" : id.value());
  }

  /** Sends one frame; frames are sent one at a time as the JDK WebSocket requires. */
  void send(AgentFrame frame) throws IOException {
    WebSocket ws = socket;
    if (ws == null || closed.isDone()) {
      throw new IOException("socket closed");
    }
    String text = codec.encode(frame);
    sendLock.lock();
    try {
      ws.sendText(text, true).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      abort();
      throw new IOException("send failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending", e);
    } finally {
      sendLock.unlock();
    }
  }

  // ---- WebSocket.Listener ----

  @Override
  public void onOpen(WebSocket webSocket) {
    lastReceived = clock.instant();
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    lastReceived = clock.instant();
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      receive(text);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    if (statusCode == CLOSE_AUTH_FAILED) {
      if (unauthorizedDetail == null) {
        unauthorizedDetail = reason == null || reason.isBlank() ? "authentication failed" : reason;
      }
      auth.complete(false);
    }
    log.debug("WebSocket closed by the server: {} {}", statusCode, reason);
    closed.complete("closed " + statusCode);
    auth.complete(false);
    failReplies();
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    log.debug("WebSocket error: {}", error.toString());
    closed.complete("error");
    auth.complete(false);
    failReplies();
  }

  private void receive(String text) {
    ServerFrame frame;
    try {
      frame = codec.decodeFromServer(text);
    } catch (FrameDecodeException e) {
      if (e.frameType().filter("command"::equals).isPresent()) {
        CommandId id = commandIdOf(text);
        Thread.ofVirtual().start(() -> handler.malformedCommand(id, e.getMessage()));
      } else {
        log.debug("Ignoring unreadable frame from the server: {}", e.getMessage());
      }
      return;
    }
    switch (frame) {
      case ServerFrame.AuthAck ack -> {
        serverHeartbeatSeconds = ack.heartbeatIntervalSeconds();
        auth.complete(true);
      }
      case ServerFrame.Ack ack -> complete(ack.of(), ack.commandId(), ack);
      case ServerFrame.ErrorFrame error -> onErrorFrame(error);
      case ServerFrame.CommandDelivery delivery ->
          Thread.ofVirtual().start(() -> handler.command(delivery.envelope()));
      case ServerFrame.Cancel cancel ->
          Thread.ofVirtual().start(() -> handler.cancel(cancel.commandId(), cancel.reason()));
      case ServerFrame.CommandAvailable ignored ->
          Thread.ofVirtual().start(handler::commandAvailable);
      case ServerFrame.ConfigUpdate ignored ->
          log.debug("config_update ignored: the SDK applies no remote configuration");
      case ServerFrame.Update ignored ->
          log.debug("update ignored: self-update is the agent's job, not the SDK's");
      case ServerFrame.TunnelOpen open -> refuseTunnel(open.sessionId());
      case ServerFrame.TunnelClose ignored -> log.debug("tunnel_close ignored");
      case dev.courier.protocol.frame.TunnelData ignored -> log.debug("tunnel_data ignored");
    }
  }

  private void onErrorFrame(ServerFrame.ErrorFrame error) {
    if ("auth".equals(error.of()) && "unauthenticated".equals(error.code())) {
      unauthorizedDetail = error.message();
      auth.complete(false);
      return;
    }
    if (error.of() != null && error.commandId() != null) {
      complete(error.of(), error.commandId(), error);
      return;
    }
    log.debug("Server error frame: {} {} (of {})", error.code(), error.message(), error.of());
  }

  private void complete(String of, CommandId id, ServerFrame frame) {
    if (of == null) {
      return;
    }
    CompletableFuture<ServerFrame> reply = replies.remove(key(of, id));
    if (reply != null) {
      reply.complete(frame);
    }
  }

  private void refuseTunnel(String sessionId) {
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                send(new AgentFrame.TunnelError(sessionId, "this agent does not support tunnels"));
              } catch (IOException e) {
                log.debug("tunnel_error not sent: {}", e.toString());
              }
            });
  }

  private CommandId commandIdOf(String text) {
    try {
      String id =
          dev.courier.protocol.ProtocolJson.mapper()
              .readTree(text)
              .path("payload")
              .path("id")
              .asText("");
      return id.isBlank() ? null : CommandId.of(id);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
