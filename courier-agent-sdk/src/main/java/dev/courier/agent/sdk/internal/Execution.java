package dev.courier.agent.sdk.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.agent.sdk.OutputSink;
import dev.courier.agent.sdk.ProcessRunner;
import dev.courier.agent.sdk.internal.CommandProcessRunner.StopReason;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.envelope.SignedEnvelope;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command being executed: the executor's {@link CommandContext}, its deadline watchdog, and the
 * cancel path. Exactly one result comes out of it, whichever of the executor, the deadline, a
 * cancel or an executor that ignores all of them ends it first.
 */
public final class Execution implements CommandContext {

  private static final Logger log = LoggerFactory.getLogger(Execution.class);

  /** After a kill, how long the executor gets to return before its thread is interrupted. */
  static final Duration INTERRUPT_AFTER = Duration.ofSeconds(1);

  /** After a kill, how long before the result is reported without the executor's answer. */
  static final Duration ABANDON_AFTER = CommandProcessRunner.KILL_GRACE.plusSeconds(3);

  private final SignedEnvelope envelope;
  private final CommandExecutor executor;
  private final OutputSink output;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final ResultShaper shaper;
  private final Consumer<CommandResult> onResult;
  private final CommandProcessRunner processes;
  private final AtomicReference<StopReason> stop = new AtomicReference<>(StopReason.NONE);
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile boolean deferred;
  private volatile String stopDetail;
  private volatile Instant startedAt;
  private volatile Instant deadline;
  private volatile Thread thread;
  private volatile ScheduledFuture<?> watchdog;

  /**
   * @param onResult receives the one result, on whichever thread ended the command; null when the
   *     executor threw {@link dev.courier.agent.sdk.ResultAfterRestart}
   */
  public Execution(
      SignedEnvelope envelope,
      CommandExecutor executor,
      OutputSink output,
      int outputCapBytes,
      Clock clock,
      ScheduledExecutorService scheduler,
      Consumer<CommandResult> onResult) {
    this.envelope = envelope;
    this.executor = executor;
    this.output = output;
    this.clock = clock;
    this.scheduler = scheduler;
    this.shaper = new ResultShaper(outputCapBytes);
    this.onResult = onResult;
    this.startedAt = clock.instant();
    this.deadline = startedAt.plus(timeout());
    this.processes =
        new CommandProcessRunner(outputCapBytes, () -> deadline, stop::get, output, clock);
  }

  /** Runs the executor on the calling thread and reports its result. */
  public void run() {
    if (stop.get() != StopReason.NONE) {
      finish(null, null); // cancelled before it began: the executor is never called
      return;
    }
    thread = Thread.currentThread();
    startedAt = clock.instant();
    deadline = startedAt.plus(timeout());
    watchdog =
        scheduler.schedule(
            () -> stop(StopReason.TIMED_OUT, timedOutDetail()),
            timeout().toMillis(),
            TimeUnit.MILLISECONDS);
    CommandOutcome outcome = null;
    String error = null;
    try {
      outcome = executor.execute(this);
      if (outcome == null) {
        error = "executor " + executor.type() + " returned no outcome";
      }
    } catch (dev.courier.agent.sdk.ResultAfterRestart e) {
      deferred = true;
      log.info(
          "Command {} ({}) is finished by the agent's next run: {}", id(), type(), e.getMessage());
    } catch (InterruptedException e) {
      error = "interrupted";
    } catch (Exception e) {
      error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (stop.get() == StopReason.NONE) {
        log.warn("Command {} ({}) failed: {}", id(), type(), e.toString());
      }
    } catch (StackOverflowError | OutOfMemoryError e) {
      error = "executor crashed: " + e;
    } finally {
      watchdog.cancel(false);
      Thread.interrupted(); // a late interrupt must not leak into the pool thread
    }
    if (processes.endedAtDeadline()) {
      // The runner killed a process at the deadline before the watchdog fired: whatever the
      // executor made of that, the deadline ended the command.
      stop(StopReason.TIMED_OUT, timedOutDetail());
    }
    finish(outcome, error);
  }

  private String timedOutDetail() {
    return "timed out after " + timeout().toSeconds() + " s";
  }

  /**
   * Stops the command: kills its processes, and reports it {@code cancelled} (or {@code timed_out})
   * when the executor returns, or shortly after if it does not.
   */
  public void cancel(String detail) {
    stop(StopReason.CANCELLED, detail);
  }

  private void stop(StopReason reason, String detail) {
    if (finished.get() || !stop.compareAndSet(StopReason.NONE, reason)) {
      return;
    }
    stopDetail = detail;
    log.info("Stopping command {} ({}): {}", id(), type(), detail);
    processes.killAll();
    scheduler.schedule(
        () -> {
          Thread running = thread;
          if (!finished.get() && running != null) {
            running.interrupt();
          }
        },
        INTERRUPT_AFTER.toMillis(),
        TimeUnit.MILLISECONDS);
    scheduler.schedule(
        () -> {
          if (!finished.get()) {
            log.warn(
                "Executor {} did not return after command {} was stopped; reporting it anyway",
                executor.type(),
                id());
            finish(null, null);
          }
        },
        ABANDON_AFTER.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void finish(CommandOutcome outcome, String error) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    if (deferred && stop.get() == StopReason.NONE) {
      onResult.accept(null); // ResultAfterRestart: the next run reports it
      return;
    }
    Instant now = clock.instant();
    long durationMs = Math.max(0, Duration.between(startedAt, now).toMillis());
    CommandResult result =
        switch (stop.get()) {
          case TIMED_OUT ->
              shaper.result(id(), CommandStatus.TIMED_OUT, outcome, stopDetail, now, durationMs);
          case CANCELLED ->
              shaper.result(id(), CommandStatus.CANCELLED, outcome, stopDetail, now, durationMs);
          case NONE ->
              outcome == null
                  ? shaper.result(id(), CommandStatus.FAILED, null, error, now, durationMs)
                  : shaper.result(
                      id(), outcome.status(), outcome, outcome.error(), now, durationMs);
        };
    onResult.accept(result);
  }

  /** True once the one result was produced. */
  public boolean isFinished() {
    return finished.get();
  }

  /** The signed envelope this execution runs. */
  public SignedEnvelope envelope() {
    return envelope;
  }

  private CommandId id() {
    return envelope.id();
  }

  @Override
  public CommandId commandId() {
    return envelope.id();
  }

  @Override
  public String type() {
    return envelope.type();
  }

  @Override
  public ObjectNode params() {
    return envelope.params().deepCopy();
  }

  @Override
  public Duration timeout() {
    return Duration.ofSeconds(envelope.timeoutSeconds());
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public boolean isCancelled() {
    return stop.get() != StopReason.NONE;
  }

  @Override
  public ProcessRunner processes() {
    return processes;
  }

  @Override
  public OutputSink output() {
    return output;
  }
}
