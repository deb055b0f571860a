package dev.courier.agent.sdk.internal;

import dev.courier.protocol.CommandId;
import dev.courier.protocol.frame.FrameCodec;
import dev.courier.protocol.frame.FrameDecodeException;
import dev.courier.protocol.frame.ServerFrame;
import java.io.IOException;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the server sends on one {@link SocketSession}'s WebSocket and routes each frame: auth
 * outcomes and closes to the session, {@code ack}/{@code error} replies to the {@link SocketSender}
 * waiter they answer, commands, cancels and {@code command_available} to the agent's {@link
 * SocketSession.Handler} (each on its own virtual thread, never on the socket's), tunnel frames to
 * the connection's {@link TunnelSessions}, and everything the SDK does not support to a log line.
 * It exists apart from the session so that the exhaustive switch over server frames has a class of
 * its own.
 *
 * <p>Threading: the JDK WebSocket invokes a listener's methods one at a time, each invocation
 * happening-before the next, so {@code partial} (a frame's text fragments) needs no lock. {@code
 * lastReceived} is volatile: the session's heartbeat loop reads it from another thread.
 */
final class ServerFrameDispatcher implements WebSocket.Listener {

  // Logs under SocketSession's name: these lines were the session's before it was split, and
  // operators' log filters and the agent's log pattern know them by it.
  private static final Logger log = LoggerFactory.getLogger(SocketSession.class);

  private final SocketSession session;
  private final SocketSender sender;
  private final SocketSession.Handler handler;
  private final TunnelSessions tunnels;
  private final FrameCodec codec;
  private final Clock clock;
  private final StringBuilder partial = new StringBuilder();
  private volatile Instant lastReceived;

  ServerFrameDispatcher(
      SocketSession session,
      SocketSender sender,
      SocketSession.Handler handler,
      TunnelSessions tunnels,
      FrameCodec codec,
      Clock clock) {
    this.session = session;
    this.sender = sender;
    this.handler = handler;
    this.tunnels = tunnels;
    this.codec = codec;
    this.clock = clock;
  }

  /** When the last frame (or the opening) arrived; null before the socket opened. */
  Instant lastReceived() {
    return lastReceived;
  }

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
    session.closedByServer(statusCode, reason);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    session.failed(error);
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
      case ServerFrame.AuthAck ack -> session.authAccepted(ack.heartbeatIntervalSeconds());
      case ServerFrame.Ack ack -> sender.replied(ack.of(), ack.commandId(), ack);
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
      case ServerFrame.TunnelOpen open -> tunnels.open(open.sessionId());
      case ServerFrame.TunnelClose close -> tunnels.close(close.sessionId(), close.reason());
      case dev.courier.protocol.frame.TunnelData data ->
          tunnels.data(data.channelId(), data.data());
    }
  }

  private void onErrorFrame(ServerFrame.ErrorFrame error) {
    if ("auth".equals(error.of()) && "unauthenticated".equals(error.code())) {
      session.authRefused(error.message());
      return;
    }
    if (error.of() != null && error.commandId() != null) {
      sender.replied(error.of(), error.commandId(), error);
      return;
    }
    log.debug("Server error frame: {} {} (of {})", error.code(), error.message(), error.of());
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
