package dev.courier.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which stream an output chunk came from; {@code stdout} or {@code stderr} on the wire. */
public enum OutputStreamName {
  STDOUT,
  STDERR;

  /** The wire name. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name, case-insensitively. */
  @JsonCreator
  public static OutputStreamName fromWire(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("unknown stream: " + value, e);
    }
  }
}
