package dev.courier.agent.sdk.internal;

import dev.courier.agent.sdk.AgentOptions;
import dev.courier.agent.sdk.AgentStatus;
import dev.courier.agent.sdk.ExecutorRegistry;
import dev.courier.agent.sdk.OutputSink;
import dev.courier.agent.sdk.TunnelHandler;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.envelope.EnvelopeKeys;
import dev.courier.protocol.envelope.EnvelopeVerifier;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root behind {@link dev.courier.agent.sdk.CourierAgent}: builds journal, outbox,
 * intake, result sender and connector from the options, and owns the ordered shutdown (stop taking
 * work, drain within the grace, cancel the rest, flush results, disconnect, close files).
 */
public final class AgentRuntime {

  private static final Logger log = LoggerFactory.getLogger(AgentRuntime.class);

  /** How long {@link #stop} tries to deliver results before disconnecting. */
  static final Duration FLUSH_TIME = Duration.ofSeconds(3);

  private enum State {
    NEW,
    RUNNING,
    STOPPING,
    STOPPED
  }

  private final AgentOptions options;
  private final ExecutorRegistry executors;
  private final TunnelHandler tunnels;
  private final List<String> capabilities;
  private final Clock clock;
  private final RandomGenerator random;
  private final PublicKey serverKey;
  private final AtomicBoolean unauthorized = new AtomicBoolean();
  private final java.util.Set<CommandId> expectedLate = new java.util.HashSet<>();
  private State state = State.NEW;
  private ScheduledExecutorService scheduler;
  private ExecutedJournal journal;
  private Outbox outbox;
  private CommandIntake intake;
  private ResultSender sender;
  private Connector connector;
  private Thread senderThread;
  private Thread connectorThread;

  public AgentRuntime(AgentOptions options, ExecutorRegistry executors) {
    this(options, executors, null);
  }

  /**
   * @param tunnels serves tunnel sessions; null refuses them (and {@code tunnel} is not reported as
   *     a capability)
   */
  public AgentRuntime(AgentOptions options, ExecutorRegistry executors, TunnelHandler tunnels) {
    this(options, executors, tunnels, Clock.systemUTC(), new SecureRandom());
  }

  /** With an explicit clock and randomness, for tests. */
  public AgentRuntime(
      AgentOptions options,
      ExecutorRegistry executors,
      TunnelHandler tunnels,
      Clock clock,
      RandomGenerator random) {
    this.options = options;
    this.executors = executors;
    this.tunnels = tunnels;
    List<String> all = new ArrayList<>(executors.capabilities());
    if (tunnels != null && !all.contains(TunnelHandler.CAPABILITY)) {
      all.add(TunnelHandler.CAPABILITY);
    }
    this.capabilities = List.copyOf(all);
    this.clock = clock;
    this.random = random;
    this.serverKey = EnvelopeKeys.decodePublic(options.identity().serverPublicKey());
  }

  public AgentOptions options() {
    return options;
  }

  /** Loads state and starts the background loops. */
  public synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "agent already " + state.name().toLowerCase(java.util.Locale.ROOT) + "; build a new one");
    }
    try {
      if (!Files.isDirectory(options.stateDir())) {
        Files.createDirectories(options.stateDir());
        if (DurableFiles.posix()) {
          // The journal and outbox say what this machine ran; they are nobody else's business.
          Files.setPosixFilePermissions(
              options.stateDir(), PosixFilePermissions.fromString("rwx------"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create state directory " + options.stateDir(), e);
    }
    journal = ExecutedJournal.open(options.stateDir().resolve("executed.journal"), clock);
    outbox = Outbox.open(options.stateDir().resolve("outbox"), options.outboxQuotaBytes());
    scheduler =
        Executors.newScheduledThreadPool(
            1, Thread.ofPlatform().name("courier-timers").daemon(true).factory());
    intake =
        new CommandIntake(
            executors,
            new EnvelopeVerifier(serverKey, options.identity().agentId(), clock),
            journal,
            outbox,
            new Callbacks(),
            options.maxConcurrent(),
            options.outputCapBytes(),
            clock,
            scheduler);
    reconcile();
    // Virtual threads for the client's callbacks instead of its default pool of platform
    // threads: an idle agent's heartbeats would otherwise keep a few of those alive for good.
    HttpClient client =
        ServerHttpClients.newBuilder(options.server())
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    AgentHttp http = new AgentHttp(options.server(), options.identity(), client, clock);
    connector =
        new Connector(
            options,
            http,
            client,
            intake,
            capabilities,
            clock,
            random,
            () -> sender.wake(),
            tunnels);
    sender =
        new ResultSender(
            outbox,
            journal,
            connector::link,
            new Backoff(options.minBackoff(), options.maxBackoff(), random),
            this::unauthorized,
            intake::outboxDrained);
    state = State.RUNNING;
    senderThread = Thread.ofVirtual().name("courier-results").start(sender::run);
    connectorThread = Thread.ofVirtual().name("courier-connection").start(this::connect);
    log.info(
        "Courier agent {} started: server {}, transport {}, capabilities {}, {} stored result(s)",
        options.identity().agentId(),
        options.server(),
        options.transport().name().toLowerCase(java.util.Locale.ROOT),
        capabilities,
        outbox.size());
  }

  /**
   * Makes journal and outbox agree after a restart: a result whose confirmation was journaled is
   * dropped; a command journaled as started but without a result was interrupted by the stop, so it
   * is reported {@code failed} (it is never executed again).
   */
  private void reconcile() {
    for (CommandResult stored : outbox.pending()) {
      if (journal.isConfirmed(stored.commandId())) {
        outbox.remove(stored.commandId());
      }
    }
    ResultShaper shaper = new ResultShaper(options.outputCapBytes());
    for (CommandId id : journal.unconfirmed()) {
      if (expectedLate.contains(id)) {
        intake.defer(id);
        continue;
      }
      if (!outbox.contains(id)) {
        log.warn("Command {} was interrupted by the agent's last stop; reporting it failed", id);
        store(
            shaper.refused(
                id,
                "the agent stopped while the command was running; it is not executed again",
                clock.instant()));
      }
    }
  }

  private void connect() {
    try {
      connector.run();
    } catch (AgentUnauthorizedException e) {
      unauthorized(e);
    } catch (RuntimeException e) {
      log.error("Connection loop failed; the agent is no longer in contact with the server", e);
    }
  }

  private void unauthorized(AgentUnauthorizedException e) {
    if (unauthorized.compareAndSet(false, true)) {
      log.error(
          "Agent {}: {}. It stops contacting the server; stored results stay in {}.",
          options.identity().agentId(),
          e.getMessage(),
          options.stateDir().resolve("outbox"));
      connector.stop();
      sender.stop();
    }
  }

  private void store(CommandResult result) {
    try {
      outbox.put(result);
    } catch (IOException e) {
      log.error(
          "Cannot store the result of {} durably ({}); sending it without a copy on disk",
          result.commandId(),
          e.toString());
      try {
        AgentLink link = connector == null ? null : connector.link();
        if (link != null) {
          link.sendResult(result);
        }
      } catch (RuntimeException sendError) {
        log.error("Result of {} is lost: {}", result.commandId(), sendError.toString());
      }
    }
    if (sender != null) {
      sender.wake();
    }
  }

  /** Before start: {@code id} is reported by {@link #reportLate} rather than as interrupted. */
  public synchronized void expectLate(CommandId id) {
    if (state != State.NEW) {
      throw new IllegalStateException("expectLate must be called before start");
    }
    expectedLate.add(id);
  }

  /**
   * Stores the late result of {@code id} and sends it; false (and nothing stored) unless the
   * journal shows {@code id} started, its result is neither stored nor confirmed.
   */
  public boolean reportLate(CommandId id, dev.courier.agent.sdk.CommandOutcome outcome) {
    synchronized (this) {
      if (state != State.RUNNING) {
        throw new IllegalStateException("reportLate needs a running agent");
      }
    }
    if (!journal.contains(id) || journal.isConfirmed(id) || outbox.contains(id)) {
      return false;
    }
    store(
        new ResultShaper(options.outputCapBytes())
            .result(id, outcome.status(), outcome, outcome.error(), clock.instant(), 0));
    return true;
  }

  /** Ordered shutdown; idempotent. */
  public void stop(Duration grace) {
    synchronized (this) {
      if (state == State.NEW) {
        state = State.STOPPED;
        return;
      }
      if (state != State.RUNNING) {
        return;
      }
      state = State.STOPPING;
    }
    log.info("Stopping agent {} (grace {})", options.identity().agentId(), grace);
    try {
      intake.stopAccepting();
      if (!intake.awaitIdle(grace)) {
        log.warn("Cancelling {} command(s) still running after the grace", intake.runningCount());
        intake.cancelAll("agent shutting down");
        intake.awaitIdle(Execution.ABANDON_AFTER.plusSeconds(2));
      }
      if (!unauthorized.get() && outbox.size() > 0) {
        sender.sendAll(Instant.now().plus(FLUSH_TIME));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      sender.stop();
      connector.stop();
      join(senderThread);
      join(connectorThread);
      scheduler.shutdownNow();
      journal.close();
      synchronized (this) {
        state = State.STOPPED;
      }
      log.info(
          "Agent {} stopped; {} result(s) wait in the outbox",
          options.identity().agentId(),
          outbox.size());
    }
  }

  private static void join(Thread thread) {
    if (thread == null) {
      return;
    }
    try {
      if (!thread.join(Duration.ofSeconds(5))) {
        thread.interrupt();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public synchronized boolean isConnected() {
    return state == State.RUNNING
        && !unauthorized.get()
        && !connector.transportInUse().equals("none");
  }

  /** What the agent is doing now, for status displays. */
  public synchronized AgentStatus status() {
    boolean running = state == State.RUNNING;
    String transport = running && !unauthorized.get() ? connector.transportInUse() : "none";
    return new AgentStatus(
        state.name().toLowerCase(java.util.Locale.ROOT),
        transport,
        !transport.equals("none"),
        unauthorized.get(),
        intake == null ? 0 : intake.runningCount(),
        intake == null ? 0 : intake.queuedCount(),
        outbox == null ? 0 : outbox.size(),
        outbox == null ? 0 : outbox.bytes(),
        options.outboxQuotaBytes(),
        outbox != null && outbox.isFull());
  }

  public synchronized String transportInUse() {
    if (state != State.RUNNING || unauthorized.get()) {
      return "none";
    }
    return connector.transportInUse();
  }

  private final class Callbacks implements CommandIntake.Callbacks {
    @Override
    public void result(CommandResult result) {
      store(result);
    }

    @Override
    public void resendStored() {
      if (sender != null) {
        sender.wake();
      }
    }

    @Override
    public AgentLink link() {
      return connector.link();
    }

    @Override
    public OutputSink output(CommandId id) {
      return (stream, text) -> connector.output(id, stream, text);
    }

    @Override
    public void pollSoon() {
      connector.requestPoll();
    }

    @Override
    public void unauthorized(AgentUnauthorizedException e) {
      AgentRuntime.this.unauthorized(e);
    }
  }
}
