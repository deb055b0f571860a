package dev.courier.agent.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.CommandId;
import java.time.Duration;
import java.time.Instant;

/** What an executor knows about the command it runs, and the tools it may use to run it. */
public interface CommandContext {

  /** The command's id. */
  CommandId commandId();

  /** The command's type, e.g. {@code "echo"}. */
  String type();

  /** The command's parameters as signed by the server; never null (empty object when none). */
  ObjectNode params();

  /** The command's {@code timeout_seconds}. */
  Duration timeout();

  /** When the command times out: start of execution plus {@link #timeout()}. */
  Instant deadline();

  /** True once the server cancelled the command, the deadline passed or the agent is stopping. */
  boolean isCancelled();

  /**
   * Starts processes for this command with argument lists (never a shell); they are killed with
   * their whole process tree on cancel, at the deadline and on their own timeout.
   */
  ProcessRunner processes();

  /** Streams output while the command runs. */
  OutputSink output();
}
