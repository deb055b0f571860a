package dev.courier.server.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.envelope.EnvelopeSigner;
import dev.courier.protocol.envelope.SignedEnvelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns a stored command into the envelope an agent receives, signed with the server's key. Every
 * protocol hands out the same envelope, so an agent verifies one format whichever way it connects.
 */
public final class CommandEnvelopes {

  /** A command with no expiry of its own still gets one on the wire, bounding replay. */
  static final Duration FALLBACK_VALIDITY = Duration.ofHours(24);

  private final EnvelopeSigner signer;
  private final ObjectMapper json;
  private final Clock clock;

  public CommandEnvelopes(EnvelopeSigner signer, ObjectMapper json, Clock clock) {
    this.signer = signer;
    this.json = json;
    this.clock = clock;
  }

  public SignedEnvelope envelopeFor(Command command) {
    Instant issuedAt = clock.instant();
    Instant expiresAt =
        command.expiresAt() != null ? command.expiresAt() : issuedAt.plus(FALLBACK_VALIDITY);
    return signer.sign(
        new SignedEnvelope(
            command.id(),
            command.agentId(),
            command.type(),
            params(command),
            command.priority(),
            Math.max(1, command.timeout().toSeconds()),
            issuedAt,
            expiresAt,
            null));
  }

  private ObjectNode params(Command command) {
    try {
      return (ObjectNode) json.readTree(command.paramsJson());
    } catch (JsonProcessingException | ClassCastException e) {
      throw new IllegalStateException(
          "stored params of " + command.id() + " are not a JSON object", e);
    }
  }
}
