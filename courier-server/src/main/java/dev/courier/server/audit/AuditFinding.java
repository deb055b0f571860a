package dev.courier.server.audit;

/**
 * Something the verifier found wrong with a chain.
 *
 * @param seq the record the finding is about (for {@link Kind#TRUNCATED}, the last one left)
 */
public record AuditFinding(Kind kind, long seq, String message) {

  public enum Kind {
    /** The record's fields no longer match its hash. */
    EDITED,
    /** The record points back to a hash no remaining record has: one before it was removed. */
    MISSING,
    /** The chain ends before its head says it does: its newest records were removed. */
    TRUNCATED
  }
}
