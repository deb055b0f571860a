package dev.courier.server.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An operator's request for one command, already parsed from whichever API shape it came in (seed
 * 000's short form or the long form).
 *
 * @param priority null for normal
 * @param timeout null for the type's default
 * @param expiresAt null for the type's default expiry
 * @param idempotencyKey null when the caller does not need retries to be safe
 */
public record NewCommand(
    AgentId agentId,
    String type,
    ObjectNode params,
    Priority priority,
    Duration timeout,
    Instant expiresAt,
    String idempotencyKey) {

  public NewCommand {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(params, "params");
  }
}
