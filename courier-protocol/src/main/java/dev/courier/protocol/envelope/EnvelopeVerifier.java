package dev.courier.protocol.envelope;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.envelope.VerificationResult.Reason;
import dev.courier.protocol.envelope.VerificationResult.Rejected;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Agent side: checks that an envelope was signed by the pinned server key, is addressed to this
 * agent, and is within its validity window. The signature is checked first so that an unsigned
 * envelope's claims (agent id, times) are never trusted for the answer. Thread-safe.
 */
public final class EnvelopeVerifier {

  /** Default tolerance for clock differences between server and agent. */
  public static final Duration DEFAULT_SKEW = Duration.ofSeconds(60);

  private final PublicKey serverKey;
  private final AgentId self;
  private final Clock clock;
  private final Duration skew;

  /** Verifies against {@code serverKey} for agent {@code self}, with the given clock and skew. */
  public EnvelopeVerifier(PublicKey serverKey, AgentId self, Clock clock, Duration skew) {
    this.serverKey = Objects.requireNonNull(serverKey, "serverKey");
    this.self = Objects.requireNonNull(self, "self");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.skew = Objects.requireNonNull(skew, "skew");
  }

  /** Verifies with {@link #DEFAULT_SKEW}. */
  public EnvelopeVerifier(PublicKey serverKey, AgentId self, Clock clock) {
    this(serverKey, self, clock, DEFAULT_SKEW);
  }

  /** Checks signature, addressee and validity window, in that order. */
  public VerificationResult verify(SignedEnvelope envelope) {
    if (!signatureMatches(envelope)) {
      return new Rejected(Reason.BAD_SIGNATURE, "envelope signature does not verify");
    }
    if (!self.equals(envelope.agentId())) {
      return new Rejected(
          Reason.WRONG_AGENT, "command is addressed to agent " + envelope.agentId());
    }
    Instant now = clock.instant();
    if (now.isAfter(envelope.expiresAt().plus(skew))) {
      return new Rejected(Reason.EXPIRED, "command expired at " + envelope.expiresAt());
    }
    if (now.plus(skew).isBefore(envelope.issuedAt())) {
      return new Rejected(
          Reason.NOT_YET_VALID, "command issued in the future at " + envelope.issuedAt());
    }
    return new VerificationResult.Valid();
  }

  private boolean signatureMatches(SignedEnvelope envelope) {
    if (envelope.signature() == null || envelope.signature().isBlank()) {
      return false;
    }
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(envelope.signature());
      Signature signature = Signature.getInstance(EnvelopeKeys.ALGORITHM);
      signature.initVerify(serverKey);
      signature.update(CanonicalForm.signingInput(envelope));
      return signature.verify(bytes);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }
}
