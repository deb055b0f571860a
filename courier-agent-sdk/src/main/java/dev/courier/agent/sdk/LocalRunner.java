package dev.courier.agent.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.sdk.internal.Execution;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.envelope.SignedEnvelope;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs commands that no server sent (an agent's local schedule, seed 004's standalone mode) through
 * the same executors and the same machinery as server commands: the deadline, the process-tree
 * kill, the output cap and the result shape. Nothing here is journaled or sent: the caller keeps
 * the result. Thread-safe; close it to stop its timer thread.
 */
public final class LocalRunner implements AutoCloseable {

  /** The agent id local commands are addressed to; never a real agent's. */
  private static final AgentId LOCAL = AgentId.of("local");

  private final ExecutorRegistry executors;
  private final int outputCapBytes;
  private final Clock clock;
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(
          1, Thread.ofPlatform().name("courier-local-timers").daemon(true).factory());

  /**
   * @param outputCapBytes most bytes of output kept per stream, as {@link
   *     AgentOptions#outputCapBytes()}
   */
  public LocalRunner(ExecutorRegistry executors, int outputCapBytes, Clock clock) {
    this.executors = Objects.requireNonNull(executors, "executors");
    this.outputCapBytes = outputCapBytes;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Runs one command on the calling thread and returns its result; an unknown type is a {@code
   * failed} result, as it is for a server command.
   *
   * @param id the id to report the result under, e.g. {@code local-<schedule>-<time>}
   */
  public CommandResult run(CommandId id, String type, ObjectNode params, Duration timeout)
      throws InterruptedException {
    Instant now = clock.instant();
    CommandExecutor executor = executors.find(type).orElse(null);
    if (executor == null) {
      return new CommandResult(
          id,
          dev.courier.protocol.CommandStatus.FAILED,
          now,
          0L,
          null,
          "no executor for command type " + type,
          null,
          "no executor for command type " + type + " (has " + executors.capabilities() + ")",
          null,
          null);
    }
    SignedEnvelope envelope =
        new SignedEnvelope(
            id,
            LOCAL,
            type,
            params,
            null,
            Math.max(1, timeout.toSeconds()),
            now,
            now.plus(timeout),
            "local");
    CompletableFuture<CommandResult> result = new CompletableFuture<>();
    Execution execution =
        new Execution(
            envelope,
            executor,
            (stream, text) -> {},
            outputCapBytes,
            clock,
            scheduler,
            result::complete);
    execution.run();
    try {
      CommandResult done = result.get();
      if (done == null) {
        return new CommandResult(
            id,
            dev.courier.protocol.CommandStatus.FAILED,
            clock.instant(),
            0L,
            null,
            "cannot finish after a restart when run locally",
            null,
            type + " cannot be run from a local schedule: it finishes after a restart",
            null,
            null);
      }
      return done;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** A fresh id for a local run of {@code name}. */
  public static CommandId localId(String name) {
    return CommandId.of("local-" + name + "-" + UUID.randomUUID());
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
