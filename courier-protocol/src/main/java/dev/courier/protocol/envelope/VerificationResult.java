package dev.courier.protocol.envelope;

/**
 * What {@link EnvelopeVerifier} concluded: valid, or rejected with a reason an agent can report.
 */
public sealed interface VerificationResult {

  /** True only for {@link Valid}. */
  default boolean isValid() {
    return this instanceof Valid;
  }

  /** The envelope is authentic, current and addressed to this agent. */
  record Valid() implements VerificationResult {}

  /**
   * The envelope must not run.
   *
   * @param reason machine-readable cause
   * @param detail human-readable explanation, suitable for the command's {@code error} field
   */
  record Rejected(Reason reason, String detail) implements VerificationResult {}

  /** Why an envelope was rejected. */
  enum Reason {
    /** Missing, malformed or not matching the server key. */
    BAD_SIGNATURE,
    /** Past {@code expires_at} (beyond the skew tolerance). */
    EXPIRED,
    /** Issued in the future (beyond the skew tolerance): a wrong clock on one side. */
    NOT_YET_VALID,
    /** {@code agent_id} names another agent. */
    WRONG_AGENT
  }
}
