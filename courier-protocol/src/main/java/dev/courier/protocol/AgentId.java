package dev.courier.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An agent's id as the server assigned it at enrollment; a plain string on the wire. */
public record AgentId(@JsonValue String value) {

  /** Rejects blank ids so a missing field fails at the edge, not deep in a lookup. */
  @JsonCreator
  public AgentId {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("agent id must not be blank");
    }
  }

  /** Wraps a wire value. */
  public static AgentId of(String value) {
    return new AgentId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
