package dev.courier.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Command priority; lower-case on the wire. Higher priorities are delivered first. */
public enum Priority {
  LOW,
  NORMAL,
  HIGH,
  CRITICAL;

  /** The wire name. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Ordering weight, stored so a database index can sort by it: low 0 up to critical 3. */
  public int rank() {
    return ordinal();
  }

  /**
   * The priority of a stored {@link #rank()}.
   *
   * @throws IllegalArgumentException for a rank no priority has
   */
  public static Priority fromRank(int rank) {
    Priority[] all = values();
    if (rank < 0 || rank >= all.length) {
      throw new IllegalArgumentException("unknown priority rank: " + rank);
    }
    return all[rank];
  }

  /** Parses a wire name, case-insensitively; a missing priority means {@link #NORMAL}. */
  @JsonCreator
  public static Priority fromWire(String value) {
    if (value == null) {
      return NORMAL;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown priority: " + value, e);
    }
  }
}
