package dev.courier.server.fleet;

import java.util.Locale;

/** Where a rollout is: dispatching (its canary first, if it has one), or finished and how. */
public enum RolloutStatus {
  /** Only the first {@code canary} children are dispatched; the rest wait for them to succeed. */
  CANARY,
  /** Dispatching children as {@code max_concurrency} allows. */
  RUNNING,
  /** Every child finished and errors stayed within {@code max_errors}. */
  COMPLETED,
  /** Errors went over {@code max_errors} (or a canary child did not complete): dispatch stopped. */
  FAILED,
  /** An operator cancelled it: dispatch stopped and unfinished children were cancelled. */
  CANCELLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isFinal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  public static RolloutStatus fromWire(String value) {
    for (RolloutStatus status : values()) {
      if (status.wireName().equals(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown rollout status " + value);
  }
}
