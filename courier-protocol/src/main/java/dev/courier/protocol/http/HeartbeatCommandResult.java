package dev.courier.protocol.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import java.util.Objects;

/**
 * One item of a heartbeat's {@code command_results}; {@code status} is {@code running} or a result
 * status, and the summary is called {@code result_summary} (seed 000).
 */
public record HeartbeatCommandResult(
    CommandId commandId,
    CommandStatus status,
    String resultSummary,
    Integer exitCode,
    Long durationMs,
    String error,
    ObjectNode metadata,
    String output) {

  /** Requires id and status. */
  public HeartbeatCommandResult {
    Objects.requireNonNull(commandId, "command_id");
    Objects.requireNonNull(status, "status");
  }
}
