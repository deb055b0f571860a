package dev.courier.protocol.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.Priority;
import dev.courier.protocol.envelope.SignedEnvelope;
import java.time.Instant;
import java.util.Objects;

/**
 * One command in a poll or HTTP-heartbeat response. It is the signed envelope in seed 004's shape:
 * the parameters are called {@code payload} here, and {@code created_at} is added for display.
 */
public record PolledCommand(
    CommandId id,
    AgentId agentId,
    String type,
    Priority priority,
    Instant createdAt,
    Instant issuedAt,
    Instant expiresAt,
    long timeoutSeconds,
    ObjectNode payload,
    String signature) {

  /** Requires the id. */
  public PolledCommand {
    Objects.requireNonNull(id, "id");
  }

  /** The same command in envelope form, as a WebSocket {@code command} frame carries it. */
  public SignedEnvelope toEnvelope() {
    return new SignedEnvelope(
        id, agentId, type, payload, priority, timeoutSeconds, issuedAt, expiresAt, signature);
  }

  /** Server side: the poll form of an envelope. */
  public static PolledCommand from(SignedEnvelope envelope, Instant createdAt) {
    return new PolledCommand(
        envelope.id(),
        envelope.agentId(),
        envelope.type(),
        envelope.priority(),
        createdAt,
        envelope.issuedAt(),
        envelope.expiresAt(),
        envelope.timeoutSeconds(),
        envelope.params(),
        envelope.signature());
  }
}
