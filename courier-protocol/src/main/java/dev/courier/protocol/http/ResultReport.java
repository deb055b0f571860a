package dev.courier.protocol.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import java.time.Instant;
import java.util.Objects;

/**
 * Body of {@code POST /api/v1/commands/{id}/result}: the same fields as the {@code command_result}
 * frame without the id, which is in the path.
 */
public record ResultReport(
    CommandStatus status,
    Instant completedAt,
    Long durationMs,
    Integer exitCode,
    String summary,
    Integer findingsCount,
    String error,
    ObjectNode metadata,
    String output) {

  /** Requires a result status. */
  public ResultReport {
    Objects.requireNonNull(status, "status");
    if (!status.isResult()) {
      throw new IllegalArgumentException("not a result status: " + status.wireName());
    }
  }

  /** The WebSocket form of this result. */
  public CommandResult toFrame(CommandId commandId) {
    return new CommandResult(
        commandId,
        status,
        completedAt,
        durationMs,
        exitCode,
        summary,
        findingsCount,
        error,
        metadata,
        output);
  }

  /** The HTTP form of a {@code command_result} frame. */
  public static ResultReport from(CommandResult frame) {
    return new ResultReport(
        frame.status(),
        frame.completedAt(),
        frame.durationMs(),
        frame.exitCode(),
        frame.summary(),
        frame.findingsCount(),
        frame.error(),
        frame.metadata(),
        frame.output());
  }
}
