package dev.courier.agent.sdk.internal;

import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.ExecutorRegistry;
import dev.courier.agent.sdk.OutputSink;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.envelope.EnvelopeVerifier;
import dev.courier.protocol.envelope.SignedEnvelope;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every delivered command enters the agent, whichever transport brought it. It decides, in
 * this order: duplicate of one in progress (ignore), already executed (resend its stored result, or
 * ignore if confirmed, or refuse), badly signed / misaddressed / expired / unknown type (refuse:
 * report {@code failed} without running), no free slot (leave it pending on the server), and
 * otherwise claims it (acknowledge), journals it, and runs it on its own virtual thread. The
 * already-executed and refusal decisions are {@link DeliveryChecks}'; this class keeps the slots,
 * the queue of heartbeat-claimed commands and the executions in progress.
 */
public final class CommandIntake {

  private static final Logger log = LoggerFactory.getLogger(CommandIntake.class);

  /** How a command reached the agent. */
  public enum Source {
    /** Pushed over the WebSocket; must be acknowledged before it runs. */
    PUSHED,
    /** Returned by an HTTP poll; must be acknowledged before it runs. */
    POLLED,
    /** Handed out by an HTTP heartbeat, which already marked it accepted. */
    CLAIMED
  }

  /** The runtime's side: results, the current link, output and poll requests. */
  public interface Callbacks {
    /** Stores a result durably and schedules its sending. */
    void result(CommandResult result);

    /** Asks the sender to (re)send stored results now. */
    void resendStored();

    /** The link to use now. */
    AgentLink link();

    /** A live-output sink for one command. */
    OutputSink output(CommandId id);

    /** A slot freed after a delivery was left pending for lack of one: fetch pending work. */
    void pollSoon();

    /** The server refused the agent key. */
    void unauthorized(AgentUnauthorizedException e);
  }

  private final ExecutorRegistry executors;
  private final ExecutedJournal journal;
  private final Outbox outbox;
  private final Callbacks callbacks;
  private final int maxConcurrent;
  private final int outputCapBytes;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final ResultShaper shaper;
  private final DeliveryChecks checks;

  private final Map<CommandId, Execution> running = new ConcurrentHashMap<>();
  // Guarded by this: ids between receipt and their result, the heartbeat-claimed queue, cancels
  // that arrived before execution began, and the slot count. receive() consults DeliveryChecks
  // while holding it, so a decision and the slot it takes are one step; awaitIdle() waits on it.
  private final Set<CommandId> inProgress = new HashSet<>();
  private final Deque<SignedEnvelope> claimedBacklog = new ArrayDeque<>();
  private final Set<CommandId> cancelledEarly = new HashSet<>();
  private final Set<CommandId> deferred = new HashSet<>();
  private int busySlots;
  private boolean accepting = true;
  private boolean leftPending;

  public CommandIntake(
      ExecutorRegistry executors,
      EnvelopeVerifier verifier,
      ExecutedJournal journal,
      Outbox outbox,
      Callbacks callbacks,
      int maxConcurrent,
      int outputCapBytes,
      Clock clock,
      ScheduledExecutorService scheduler) {
    this.executors = executors;
    this.journal = journal;
    this.outbox = outbox;
    this.callbacks = callbacks;
    this.maxConcurrent = maxConcurrent;
    this.outputCapBytes = outputCapBytes;
    this.clock = clock;
    this.scheduler = scheduler;
    this.shaper = new ResultShaper(outputCapBytes);
    this.checks =
        new DeliveryChecks(executors, verifier, journal, outbox, callbacks, shaper, clock);
  }

  /** Takes one delivered command. Returns quickly: execution happens on its own thread. */
  public void receive(SignedEnvelope envelope, Source source) {
    CommandId id = envelope.id();
    String refusal;
    synchronized (this) {
      if (!accepting || inProgress.contains(id) || deferred.contains(id)) {
        return;
      }
      if (journal.contains(id)) {
        checks.replayed(id);
        return;
      }
      refusal = checks.refusalOf(envelope);
      if (refusal == null) {
        boolean full = outbox.isFull();
        if (busySlots >= maxConcurrent || full) {
          if (source == Source.CLAIMED) {
            claimedBacklog.add(envelope);
            inProgress.add(id);
          } else {
            leftPending = true;
            log.debug(
                "{}; {} stays pending on the server",
                full ? "Outbox at its quota" : "All " + maxConcurrent + " slots busy",
                id);
          }
          return;
        }
        busySlots++;
        inProgress.add(id);
      }
    }
    if (refusal != null) {
      checks.refuse(id, refusal);
      return;
    }
    Thread.ofVirtual().name("courier-command-" + id).start(() -> admit(envelope, source));
  }

  /** Takes a delivery that could not even be read as an envelope. */
  public void receiveMalformed(CommandId id, String problem) {
    if (id == null) {
      log.warn("Ignoring an unreadable command without an id: {}", problem);
      return;
    }
    synchronized (this) {
      if (!accepting || inProgress.contains(id) || journal.contains(id)) {
        return;
      }
    }
    checks.refuse(id, "malformed command: " + problem);
  }

  /** The server asked to cancel {@code id}. */
  public void cancel(CommandId id, String reason) {
    String detail = "cancelled" + (reason == null || reason.isBlank() ? "" : ": " + reason);
    Execution execution;
    synchronized (this) {
      execution = running.get(id);
      if (execution == null) {
        if (claimedBacklog.removeIf(envelope -> envelope.id().equals(id))) {
          inProgress.remove(id);
        } else if (inProgress.contains(id)) {
          // Being acknowledged right now: stop it before it runs.
          cancelledEarly.add(id);
          return;
        } else if (journal.contains(id)) {
          return; // finished already; its own result is stored or confirmed
        }
      }
    }
    if (execution != null) {
      execution.cancel(detail);
      return;
    }
    // Not known here (e.g. an acknowledge whose answer was lost): never run it, and say so.
    try {
      journal.recordExecuted(id, clock.instant().plus(ExecutedJournal.RETENTION));
    } catch (IOException e) {
      log.warn("Cannot journal cancelled command {}: {}", id, e.toString());
    }
    callbacks.result(
        shaper.result(
            id, CommandStatus.CANCELLED, null, detail + " before it started", clock.instant(), 0));
  }

  private void admit(SignedEnvelope envelope, Source source) {
    CommandId id = envelope.id();
    boolean started = false;
    try {
      if (source != Source.CLAIMED) {
        AgentLink.Ack ack = callbacks.link().acknowledge(id);
        if (ack != AgentLink.Ack.ACCEPTED) {
          return;
        }
      }
      try {
        if (!journal.recordExecuted(id, envelope.expiresAt())) {
          return;
        }
      } catch (IOException e) {
        checks.refuse(id, "cannot journal the command before running it: " + e.getMessage());
        return;
      }
      CommandExecutor executor = executors.find(envelope.type()).orElseThrow();
      Execution execution =
          new Execution(
              envelope,
              executor,
              callbacks.output(id),
              outputCapBytes,
              clock,
              scheduler,
              result -> finished(id, result));
      boolean cancelledBeforeStart;
      synchronized (this) {
        // Checked under the same lock cancel() takes, so a cancel is either seen here or finds
        // the execution in the running map.
        cancelledBeforeStart = cancelledEarly.remove(id);
        if (!cancelledBeforeStart) {
          running.put(id, execution);
        }
      }
      if (cancelledBeforeStart) {
        callbacks.result(
            shaper.result(
                id,
                CommandStatus.CANCELLED,
                null,
                "cancelled before it started",
                clock.instant(),
                0));
        return;
      }
      started = true;
      try {
        callbacks.link().reportRunning(id);
      } catch (AgentUnauthorizedException e) {
        callbacks.unauthorized(e);
      }
      log.info("Executing {} ({})", id, envelope.type());
      execution.run();
    } catch (AgentUnauthorizedException e) {
      callbacks.unauthorized(e);
    } catch (RuntimeException e) {
      log.error("Command {} could not be run", id, e);
      if (!started) {
        checks.refuse(id, "agent error before execution: " + e);
      }
    } finally {
      if (!started) {
        release(id);
      }
    }
  }

  private void finished(CommandId id, CommandResult result) {
    try {
      if (result == null) {
        synchronized (this) {
          deferred.add(id);
        }
        return;
      }
      callbacks.result(result);
      if (result.error() == null) {
        log.info(
            "Command {} ended {} in {} ms", id, result.status().wireName(), result.durationMs());
      } else {
        log.info(
            "Command {} ended {} in {} ms: {}",
            id,
            result.status().wireName(),
            result.durationMs(),
            result.error());
      }
    } finally {
      running.remove(id);
      release(id);
    }
  }

  private void release(CommandId id) {
    SignedEnvelope next = null;
    boolean poll;
    synchronized (this) {
      inProgress.remove(id);
      busySlots--;
      if (accepting && !claimedBacklog.isEmpty() && !outbox.isFull()) {
        next = claimedBacklog.poll();
        busySlots++;
      }
      poll = accepting && leftPending && busySlots < maxConcurrent && !outbox.isFull();
      if (poll) {
        leftPending = false;
      }
      notifyAll();
    }
    if (next != null) {
      SignedEnvelope envelope = next;
      Thread.ofVirtual()
          .name("courier-command-" + envelope.id())
          .start(() -> admit(envelope, Source.CLAIMED));
    }
    if (poll) {
      callbacks.pollSoon();
    }
  }

  /**
   * The outbox confirmed results and may be below its quota again: fetch what was left pending and
   * start heartbeat-claimed commands that waited for it.
   */
  public void outboxDrained() {
    if (outbox.isFull()) {
      return;
    }
    List<SignedEnvelope> start = new java.util.ArrayList<>();
    boolean poll;
    synchronized (this) {
      while (accepting && busySlots < maxConcurrent && !claimedBacklog.isEmpty()) {
        start.add(claimedBacklog.poll());
        busySlots++;
      }
      poll = accepting && leftPending && busySlots < maxConcurrent;
      if (poll) {
        leftPending = false;
      }
    }
    for (SignedEnvelope envelope : start) {
      Thread.ofVirtual()
          .name("courier-command-" + envelope.id())
          .start(() -> admit(envelope, Source.CLAIMED));
    }
    if (poll) {
      callbacks.pollSoon();
    }
  }

  /** Commands received but waiting for a slot (heartbeat-claimed ones). */
  public synchronized int queuedCount() {
    return claimedBacklog.size();
  }

  /** Marks {@code id} as reported by a later run (ResultAfterRestart): redeliveries are ignored. */
  public synchronized void defer(CommandId id) {
    deferred.add(id);
  }

  /** Free execution slots now. */
  public synchronized int freeSlots() {
    return Math.max(0, maxConcurrent - busySlots);
  }

  /** Commands executing now. */
  public int runningCount() {
    return running.size();
  }

  /**
   * Stops taking commands. Heartbeat-claimed commands still waiting for a slot are reported {@code
   * cancelled}: the server already counts them as accepted.
   */
  public void stopAccepting() {
    List<SignedEnvelope> dropped;
    synchronized (this) {
      accepting = false;
      dropped = List.copyOf(claimedBacklog);
      claimedBacklog.clear();
      dropped.forEach(envelope -> inProgress.remove(envelope.id()));
      notifyAll();
    }
    for (SignedEnvelope envelope : dropped) {
      callbacks.result(
          shaper.result(
              envelope.id(),
              CommandStatus.CANCELLED,
              null,
              "agent shut down before the command started",
              clock.instant(),
              0));
    }
  }

  /** Waits until nothing is in progress, at most {@code timeout}; true if idle. */
  public synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
    Instant until = Instant.now().plus(timeout);
    while (!inProgress.isEmpty()) {
      long left = Duration.between(Instant.now(), until).toMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  /** Cancels everything running (agent shutdown). */
  public void cancelAll(String detail) {
    running.values().forEach(execution -> execution.cancel(detail));
  }
}
