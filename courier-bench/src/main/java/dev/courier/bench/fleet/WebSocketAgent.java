package dev.courier.bench.fleet;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.frame.AgentFrame;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.protocol.http.EnrollResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A lean agent on the real WebSocket protocol: bearer key on the upgrade, {@code auth_ack},
 * heartbeats at the interval the server asks for, and for each {@code command} the same sequence
 * the agent SDK sends ({@code command_status accepted}, then {@code running} once acknowledged,
 * then {@code command_result}). Reconnects with exponential backoff and jitter when the connection
 * drops. Costs one JDK WebSocket and a few small objects, so thousands fit in one JVM.
 */
final class WebSocketAgent implements SimulatedAgent, WebSocket.Listener {

  private final Fleet fleet;
  private final EnrollResponse identity;
  private final HttpClient client;
  private final StringBuilder partial = new StringBuilder();
  private final Object sendLock = new Object();
  private CompletableFuture<?> sendTail = CompletableFuture.completedFuture(null);
  private volatile WebSocket socket;
  private volatile ScheduledFuture<?> heartbeats;
  private volatile boolean stopped;
  private volatile int failedAttempts;
  private final long startedNanos = System.nanoTime();

  WebSocketAgent(Fleet fleet, EnrollResponse identity, HttpClient client) {
    this.fleet = fleet;
    this.identity = identity;
    this.client = client;
  }

  @Override
  public AgentId id() {
    return identity.agentId();
  }

  @Override
  public String protocol() {
    return "websocket";
  }

  @Override
  public void start() {
    connect();
  }

  private void connect() {
    if (stopped) {
      return;
    }
    fleet.connectAttempts.increment();
    client
        .newWebSocketBuilder()
        .header("Authorization", "Bearer " + identity.agentKey())
        .connectTimeout(Duration.ofSeconds(20))
        .buildAsync(URI.create(fleet.webSocketUrl()), this)
        .whenComplete(
            (ws, failure) -> {
              if (failure != null) {
                fleet.connectFailures.increment();
                scheduleReconnect();
              } else {
                socket = ws;
              }
            });
  }

  private void scheduleReconnect() {
    if (stopped || !fleet.reconnects()) {
      return;
    }
    long minMs = fleet.options().minBackoff().toMillis();
    long capMs =
        Math.min(fleet.options().maxBackoff().toMillis(), minMs << Math.min(failedAttempts++, 16));
    long delay = capMs / 2 + ThreadLocalRandom.current().nextLong(capMs / 2 + 1);
    fleet.scheduler().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    socket = webSocket;
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      try {
        handle(fleet.codec().decodeFromServer(text));
      } catch (RuntimeException e) {
        fleet.error(this, "bad server frame: " + e.getMessage());
      }
    }
    webSocket.request(1);
    return null;
  }

  private void handle(ServerFrame frame) {
    long now = System.nanoTime();
    switch (frame) {
      case ServerFrame.AuthAck ack -> {
        failedAttempts = 0;
        fleet.authenticated(this, now);
        startHeartbeats(ack.heartbeatIntervalSeconds());
      }
      case ServerFrame.CommandDelivery delivery -> {
        CommandId id = delivery.envelope().id();
        fleet.observer().commandReceived(this, id, now);
        if (!delivery.envelope().agentId().equals(id())) {
          fleet.error(this, "command " + id + " addressed to another agent");
          return;
        }
        send(new AgentFrame.CommandStatusReport(id, CommandStatus.ACCEPTED, Instant.now()));
      }
      case ServerFrame.Ack ack -> onAck(ack, now);
      case ServerFrame.Cancel cancel -> sendResult(cancel.commandId(), CommandStatus.CANCELLED);
      case ServerFrame.ErrorFrame error ->
          fleet.error(this, error.code() + " " + error.of() + ": " + error.message());
      case ServerFrame.CommandAvailable ignored -> {}
      case ServerFrame.ConfigUpdate ignored -> {}
      case ServerFrame.Update ignored -> {}
      case ServerFrame.TunnelOpen ignored -> {}
      case ServerFrame.TunnelClose ignored -> {}
      case dev.courier.protocol.frame.TunnelData ignored -> {}
    }
  }

  private void onAck(ServerFrame.Ack ack, long now) {
    if ("command_status".equals(ack.of()) && ack.status() == CommandStatus.ACCEPTED) {
      CommandId id = ack.commandId();
      fleet.observer().acceptanceStored(this, id, now);
      send(new AgentFrame.CommandStatusReport(id, CommandStatus.RUNNING, Instant.now()));
      Duration delay = fleet.options().executionDelay();
      if (delay.isZero()) {
        sendResult(id, CommandStatus.COMPLETED);
      } else {
        fleet
            .scheduler()
            .schedule(
                () -> sendResult(id, CommandStatus.COMPLETED),
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
      }
    } else if ("command_result".equals(ack.of())) {
      fleet.observer().resultStored(this, ack.commandId(), now);
    }
  }

  private void sendResult(CommandId id, CommandStatus status) {
    send(
        new AgentFrame.CommandResult(
            id,
            status,
            Instant.now(),
            fleet.options().executionDelay().toMillis(),
            status == CommandStatus.COMPLETED ? 0 : null,
            "bench",
            0,
            null,
            null,
            "bench"));
  }

  private void startHeartbeats(Integer intervalSeconds) {
    ScheduledFuture<?> previous = heartbeats;
    if (previous != null) {
      previous.cancel(false);
    }
    long periodMs = Math.max(1, intervalSeconds == null ? 30 : intervalSeconds) * 1000L;
    heartbeats =
        fleet
            .scheduler()
            .scheduleAtFixedRate(
                () ->
                    send(
                        new AgentFrame.Heartbeat(
                            "bench",
                            "bench-" + id().value(),
                            (System.nanoTime() - startedNanos) / 1_000_000_000L,
                            List.of("echo"),
                            0)),
                ThreadLocalRandom.current().nextLong(periodMs),
                periodMs,
                TimeUnit.MILLISECONDS);
  }

  /** The JDK WebSocket allows one send in flight: sends are chained per agent. */
  private void send(AgentFrame frame) {
    WebSocket ws = socket;
    if (ws == null || ws.isOutputClosed()) {
      return;
    }
    String text = fleet.codec().encode(frame);
    synchronized (sendLock) {
      sendTail =
          sendTail
              .handle((ignored, failure) -> null)
              .thenCompose(ignored -> ws.sendText(text, true));
    }
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    disconnected();
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    disconnected();
  }

  private void disconnected() {
    socket = null;
    partial.setLength(0);
    ScheduledFuture<?> beat = heartbeats;
    if (beat != null) {
      beat.cancel(false);
    }
    fleet.disconnected(this);
    scheduleReconnect();
  }

  @Override
  public void stop() {
    stopped = true;
    ScheduledFuture<?> beat = heartbeats;
    if (beat != null) {
      beat.cancel(false);
    }
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
  }
}
