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
