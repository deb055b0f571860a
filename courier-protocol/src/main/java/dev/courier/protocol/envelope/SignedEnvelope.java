package dev.courier.protocol.envelope;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.Priority;
import java.time.Instant;
import java.util.Objects;

/**
 * A command as the server hands it to one agent, signed so the agent can prove who sent it, to
 * whom, and until when it is valid. It is the payload of the {@code command} frame.
 *
 * @param signature Ed25519 over {@link CanonicalForm#signingInput(SignedEnvelope)}, base64url
 *     without padding; null only before signing
 */
public record SignedEnvelope(
    CommandId id,
    AgentId agentId,
    String type,
    ObjectNode params,
    Priority priority,
    long timeoutSeconds,
    Instant issuedAt,
    Instant expiresAt,
    String signature) {

  /** Validates presence of every signed field; params default to an empty object. */
  public SignedEnvelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(agentId, "agent_id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(issuedAt, "issued_at");
    Objects.requireNonNull(expiresAt, "expires_at");
    if (params == null) {
      params = CanonicalJson.emptyObject();
    }
    if (priority == null) {
      priority = Priority.NORMAL;
    }
    if (timeoutSeconds <= 0) {
      throw new IllegalArgumentException("timeout_seconds must be positive");
    }
  }

  /** A copy carrying the given signature. */
  public SignedEnvelope withSignature(String newSignature) {
    return new SignedEnvelope(
        id, agentId, type, params, priority, timeoutSeconds, issuedAt, expiresAt, newSignature);
  }
}
