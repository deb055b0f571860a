package dev.courier.agent.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.CommandStatus;
import java.util.Objects;

/**
 * What an executor reports when it finishes: a result status ({@code completed}, {@code failed},
 * {@code timed_out} or {@code cancelled}) and the optional result fields the server stores.
 *
 * @param status a result status; {@link CommandStatus#isResult()} must hold
 * @param exitCode the exit code of the main process, when there was one
 * @param output the command's output, for people; the agent caps it at its output cap
 * @param error why the command failed, for people
 * @param findingsCount number of findings, for scan-like commands
 * @param metadata structured result data
 */
public record CommandOutcome(
    CommandStatus status,
    Integer exitCode,
    String output,
    String error,
    Integer findingsCount,
    ObjectNode metadata) {

  /** Requires a result status and a non-negative findings count. */
  public CommandOutcome {
    Objects.requireNonNull(status, "status");
    if (!status.isResult()) {
      throw new IllegalArgumentException(
          "an outcome needs a result status (completed, failed, timed_out, cancelled), not "
              + status.wireName());
    }
    if (findingsCount != null && findingsCount < 0) {
      throw new IllegalArgumentException("findingsCount must not be negative");
    }
  }

  /** Completed with structured data only. */
  public static CommandOutcome completed(ObjectNode metadata) {
    return new CommandOutcome(CommandStatus.COMPLETED, null, null, null, null, metadata);
  }

  /** Completed with a process's exit code and output. */
  public static CommandOutcome completed(int exitCode, String output, ObjectNode metadata) {
    return new CommandOutcome(CommandStatus.COMPLETED, exitCode, output, null, null, metadata);
  }

  /** Failed for the given reason. */
  public static CommandOutcome failed(String error) {
    return new CommandOutcome(CommandStatus.FAILED, null, null, error, null, null);
  }

  /** Failed with a process's exit code, output and the reason. */
  public static CommandOutcome failed(int exitCode, String output, String error) {
    return new CommandOutcome(CommandStatus.FAILED, exitCode, output, error, null, null);
  }

  /** A copy with the given findings count. */
  public CommandOutcome withFindingsCount(int count) {
    return new CommandOutcome(status, exitCode, output, error, count, metadata);
  }
}
