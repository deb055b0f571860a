package dev.courier.agent.executor;

import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.agent.sdk.ProcessResult;
import dev.courier.protocol.CommandStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How the system executors run programs: through the command's {@link
 * dev.courier.agent.sdk.ProcessRunner} (argument lists, no shell, the agent's output cap, the tree
 * killed on cancel and at the deadline), with at most the time left until the command's deadline.
 */
final class Processes {

  private Processes() {}

  /** Runs {@code argv} in {@code directory} (null: the agent's) until the command's deadline. */
  static ProcessResult run(CommandContext context, List<String> argv, Path directory)
      throws IOException, InterruptedException {
    return run(context, argv, directory, context.timeout());
  }

  /** Runs {@code argv} for at most {@code limit}, and never past the command's deadline. */
  static ProcessResult run(
      CommandContext context, List<String> argv, Path directory, Duration limit)
      throws IOException, InterruptedException {
    Duration left = Duration.between(Instant.now(), context.deadline());
    Duration timeout = left.compareTo(limit) < 0 ? left : limit;
    if (timeout.isNegative()) {
      timeout = Duration.ZERO;
    }
    return context.processes().run(argv, timeout, directory);
  }

  /** The outcome of a process that was stopped from outside rather than ending by itself. */
  static Optional<CommandOutcome> stopped(ProcessResult result, String what) {
    if (result.cancelled()) {
      return Optional.of(
          new CommandOutcome(
              CommandStatus.CANCELLED,
              null,
              combined(result),
              what + " was cancelled",
              null,
              null));
    }
    if (result.timedOut()) {
      return Optional.of(
          new CommandOutcome(
              CommandStatus.TIMED_OUT, null, combined(result), what + " timed out", null, null));
    }
    return Optional.empty();
  }

  /** Standard output then standard error, for people reading the result. */
  static String combined(ProcessResult result) {
    if (result.stderr().isEmpty()) {
      return result.stdout();
    }
    if (result.stdout().isEmpty()) {
      return result.stderr();
    }
    return result.stdout() + (result.stdout().endsWith("\n") ? "" : "\n") + result.stderr();
  }

  /** {@code ": <last line>"} of what a failed program wrote, or nothing when it was silent. */
  static String because(ProcessResult result) {
    String last = lastLine(result);
    return last.isEmpty() ? "" : ": " + last;
  }

  /** The last non-blank line a failed program wrote, which is usually why it failed. */
  static String lastLine(ProcessResult result) {
    String text = result.stderr().isBlank() ? result.stdout() : result.stderr();
    String[] lines = text.strip().split("\\R");
    String last = lines[lines.length - 1].strip();
    return last.length() > 500 ? last.substring(0, 500) + "…" : last;
  }
}
