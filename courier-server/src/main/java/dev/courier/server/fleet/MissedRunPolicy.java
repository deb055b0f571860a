package dev.courier.server.fleet;

import java.util.Locale;

/**
 * What a schedule does about due times that passed while no server was running (or it was
 * disabled): never one run per missed time.
 */
public enum MissedRunPolicy {
  /** Run once now for all the missed times, then carry on from now. The default. */
  RUN_ONCE,
  /** Run nothing for the missed times; carry on from now. */
  SKIP;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static MissedRunPolicy fromWire(String value) {
    for (MissedRunPolicy policy : values()) {
      if (policy.wireName().equals(value)) {
        return policy;
      }
    }
    throw new IllegalArgumentException("unknown missed-run policy " + value);
  }
}
