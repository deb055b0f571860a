package dev.courier.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A command's id; a plain string on the wire. */
public record CommandId(@JsonValue String value) {

  /** Rejects blank ids so a missing field fails at the edge, not deep in a lookup. */
  @JsonCreator
  public CommandId {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("command id must not be blank");
    }
  }

  /** Wraps a wire value. */
  public static CommandId of(String value) {
    return new CommandId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
