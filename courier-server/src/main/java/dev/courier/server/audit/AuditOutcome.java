package dev.courier.server.audit;

import java.util.Locale;

/** How a request ended, as the audit trail records it. */
public enum AuditOutcome {
  /** The request did what it asked. */
  SUCCEEDED,
  /** Refused for who asked: not authenticated, not permitted, or over a rate limit. */
  DENIED,
  /** Refused for what was asked (invalid, unknown, conflicting) or broken on the server. */
  FAILED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException for anything but a wire name
   */
  public static AuditOutcome fromWire(String value) {
    for (AuditOutcome outcome : values()) {
      if (outcome.wireName().equals(value)) {
        return outcome;
      }
    }
    throw new IllegalArgumentException("unknown outcome " + value);
  }
}
