package dev.courier.agent.sdk.internal;

import dev.courier.agent.sdk.AgentOptions;
import dev.courier.agent.sdk.Transport;
import dev.courier.agent.sdk.TunnelHandler;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.envelope.SignedEnvelope;
import dev.courier.protocol.frame.AgentFrame;
import dev.courier.protocol.frame.FrameCodec;
import dev.courier.protocol.http.HeartbeatRequest;
import dev.courier.protocol.http.HeartbeatResponse;
import dev.courier.protocol.http.PollResponse;
import dev.courier.protocol.http.PolledCommand;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent in contact with the server. With {@link Transport#WEBSOCKET} it holds a socket
 * open, reconnecting with jittered backoff, and polls over HTTP while the socket is down; with
 * {@link Transport#POLL} it only polls. Polling also sends the HTTP heartbeat when one is due,
 * since a poll alone does not count as a sign of life on the server.
 */
public final class Connector implements SocketSession.Handler {

  private static final Logger log = LoggerFactory.getLogger(Connector.class);
  private static final int MAX_POLL_BATCH = 100;

  private final AgentOptions options;
  private final AgentHttp http;
  private final HttpClient client;
  private final CommandIntake intake;
  private final Clock clock;
  private final Instant startedAt;
  private final List<String> capabilities;
  private final Runnable onConnected;
  private final TunnelHandler tunnels;
  private final Backoff socketBackoff;
  private final Backoff httpBackoff;
  private final FrameCodec codec = new FrameCodec();
  private final Semaphore wake = new Semaphore(0);
  private final AtomicBoolean adHocPoll = new AtomicBoolean();
  private volatile SocketSession session;
  private volatile boolean pollHealthy;
  private volatile boolean pollRequested;
  private volatile boolean stopped;
  private volatile Duration pollInterval;
  private Instant nextPollAt = Instant.MIN;
  private Instant nextHeartbeatAt = Instant.MIN;
  private boolean socketWarned;

  public Connector(
      AgentOptions options,
      AgentHttp http,
      HttpClient client,
      CommandIntake intake,
      List<String> capabilities,
      Clock clock,
      RandomGenerator random,
      Runnable onConnected,
      TunnelHandler tunnels) {
    this.options = options;
    this.http = http;
    this.client = client;
    this.intake = intake;
    this.capabilities = List.copyOf(capabilities);
    this.clock = clock;
    this.startedAt = clock.instant();
    this.onConnected = onConnected;
    this.tunnels = tunnels;
    this.socketBackoff = new Backoff(options.minBackoff(), options.maxBackoff(), random);
    this.httpBackoff = new Backoff(options.minBackoff(), options.maxBackoff(), random);
    this.pollInterval = options.pollInterval();
  }

  /**
   * The connection loop; returns when stopped.
   *
   * @throws AgentUnauthorizedException when the server refuses the agent key
   */
  public void run() {
    while (!stopped) {
      if (options.transport() == Transport.POLL) {
        pollFor(Duration.ofDays(365));
        continue;
      }
      SocketSession current =
          new SocketSession(
              ServerUrls.webSocket(options.server(), "/api/v1/agents/ws"),
              options.identity(),
              client,
              codec,
              this,
              tunnels,
              clock);
      session = current;
      if (stopped) {
        break;
      }
      SocketSession.End end =
          current.run(
              options.version(), capabilities, this::heartbeatFrame, options.heartbeatInterval());
      session = null;
      if (stopped) {
        break;
      }
      switch (end) {
        case UNAUTHORIZED ->
            throw new AgentUnauthorizedException(
                "the server refused the agent key over the WebSocket ("
                    + current.unauthorizedDetail()
                    + "); it was revoked or the agent was decommissioned: enroll again");
        case CLOSED -> {
          log.info("WebSocket to {} closed; reconnecting", options.server());
          socketBackoff.reset();
          socketWarned = false;
        }
        case NOT_OPENED -> {
          if (!socketWarned) {
            log.warn(
                "Cannot open the WebSocket to {}; polling over HTTP until it is back",
                options.server());
            socketWarned = true;
          }
        }
      }
      pollFor(socketBackoff.next());
    }
  }

  /** Polls (and heartbeats over HTTP) until {@code duration} passed or the agent stops. */
  private void pollFor(Duration duration) {
    Instant until = clock.instant().plus(duration);
    while (!stopped) {
      Instant now = clock.instant();
      if (!now.isBefore(until)) {
        return;
      }
      if (pollRequested || !now.isBefore(nextPollAt)) {
        pollRequested = false;
        boolean ok = pollOnce();
        if (ok) {
          httpBackoff.reset();
        }
        nextPollAt = clock.instant().plus(ok ? pollInterval : httpBackoff.next());
      }
      Instant wakeAt = nextPollAt.isBefore(until) ? nextPollAt : until;
      long millis = Math.max(1, Duration.between(clock.instant(), wakeAt).toMillis());
      try {
        if (wake.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
          wake.drainPermits();
        }
      } catch (InterruptedException e) {
        if (stopped) {
          return;
        }
      }
    }
  }

  /**
   * One poll for pending work (as many as there are free slots), plus the HTTP heartbeat if due.
   *
   * @return false when the server could not be reached
   */
  synchronized boolean pollOnce() {
    try {
      int free = intake.freeSlots();
      if (free > 0) {
        PollResponse response = http.poll(Math.min(free, MAX_POLL_BATCH));
        adoptInterval(response.pollIntervalSeconds());
        response.commands().forEach(command -> deliver(command, CommandIntake.Source.POLLED));
      }
      if (!clock.instant().isBefore(nextHeartbeatAt) && !isSocketOpen()) {
        HeartbeatResponse response =
            http.heartbeat(heartbeatRequest(), Math.min(intake.freeSlots(), MAX_POLL_BATCH));
        nextHeartbeatAt = clock.instant().plus(options.heartbeatInterval());
        adoptInterval(response.pollIntervalSeconds());
        // Seed 000 heartbeats hand out commands already marked accepted: they must run here.
        response
            .pendingCommands()
            .forEach(command -> deliver(command, CommandIntake.Source.CLAIMED));
      }
      if (!pollHealthy) {
        log.info("Reached {} over HTTP", options.server());
        onConnected.run();
      }
      pollHealthy = true;
      return true;
    } catch (TransientServerException e) {
      if (pollHealthy) {
        log.warn("Lost contact with {}: {}", options.server(), e.getMessage());
      } else {
        log.debug("Poll failed: {}", e.getMessage());
      }
      pollHealthy = false;
      return false;
    }
  }

  private void deliver(PolledCommand command, CommandIntake.Source source) {
    SignedEnvelope envelope;
    try {
      envelope = command.toEnvelope();
    } catch (RuntimeException e) {
      intake.receiveMalformed(command.id(), String.valueOf(e.getMessage()));
      return;
    }
    intake.receive(envelope, source);
  }

  private void adoptInterval(Integer seconds) {
    if (seconds != null && seconds > 0 && seconds <= 3600) {
      pollInterval = Duration.ofSeconds(seconds);
    }
  }

  /** Fetches pending work soon: over HTTP now if the socket is up, else at the next loop turn. */
  public void requestPoll() {
    if (stopped) {
      return;
    }
    if (isSocketOpen()) {
      if (adHocPoll.compareAndSet(false, true)) {
        Thread.ofVirtual()
            .name("courier-poll")
            .start(
                () -> {
                  try {
                    pollOnce();
                  } catch (AgentUnauthorizedException e) {
                    log.error("{}", e.getMessage());
                  } finally {
                    adHocPoll.set(false);
                  }
                });
      }
    } else {
      pollRequested = true;
      wake.release();
    }
  }

  /** Ends the loop and closes the socket. */
  public void stop() {
    stopped = true;
    wake.release();
    SocketSession current = session;
    if (current != null) {
      current.close("agent stopping");
    }
  }

  /** The link to use now: the socket while it is authenticated, else HTTP. */
  public AgentLink link() {
    SocketSession current = session;
    return current != null && current.isOpen() ? current : http;
  }

  /** Forwards a live output chunk over the socket, if one is open. */
  public void output(CommandId id, String stream, String text) {
    SocketSession current = session;
    if (current != null) {
      current.output(id, stream, text);
    }
  }

  private boolean isSocketOpen() {
    SocketSession current = session;
    return current != null && current.isOpen();
  }

  /** {@code websocket}, {@code poll} or {@code none}. */
  public String transportInUse() {
    if (stopped) {
      return "none";
    }
    if (isSocketOpen()) {
      return "websocket";
    }
    return pollHealthy ? "poll" : "none";
  }

  private AgentFrame.Heartbeat heartbeatFrame() {
    return new AgentFrame.Heartbeat(
        options.version(),
        options.hostname(),
        uptimeSeconds(),
        capabilities,
        intake.runningCount());
  }

  private HeartbeatRequest heartbeatRequest() {
    return new HeartbeatRequest(
        options.identity().agentId(),
        options.hostname(),
        options.version(),
        System.getProperty("os.name", "").toLowerCase(Locale.ROOT),
        System.getProperty("os.arch", ""),
        uptimeSeconds(),
        capabilities,
        options.labels(),
        List.of());
  }

  private long uptimeSeconds() {
    return Math.max(0, Duration.between(startedAt, clock.instant()).toSeconds());
  }

  // ---- SocketSession.Handler ----

  @Override
  public void authenticated(SocketSession current) {
    log.info("Connected to {} over WebSocket", options.server());
    socketWarned = false;
    onConnected.run();
  }

  @Override
  public void command(SignedEnvelope envelope) {
    intake.receive(envelope, CommandIntake.Source.PUSHED);
  }

  @Override
  public void malformedCommand(CommandId id, String problem) {
    intake.receiveMalformed(id, problem);
  }

  @Override
  public void cancel(CommandId id, String reason) {
    intake.cancel(id, reason);
  }

  @Override
  public void commandAvailable() {
    requestPoll();
  }
}
