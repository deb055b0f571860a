package dev.courier.server.command;

import java.util.Arrays;

/** Delivery priority; a higher {@link #rank()} is delivered first, then older before newer. */
public enum Priority {
  LOW("low", 0),
  NORMAL("normal", 1),
  HIGH("high", 2),
  CRITICAL("critical", 3);

  private final String wireName;
  private final int rank;

  Priority(String wireName, int rank) {
    this.wireName = wireName;
    this.rank = rank;
  }

  public String wireName() {
    return wireName;
  }

  /** Stored instead of the name so the claim index sorts by it. */
  public int rank() {
    return rank;
  }

  public static Priority fromWireName(String name) {
    return Arrays.stream(values())
        .filter(p -> p.wireName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown priority: " + name));
  }

  public static Priority fromRank(int rank) {
    return Arrays.stream(values())
        .filter(p -> p.rank == rank)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown priority rank: " + rank));
  }
}
