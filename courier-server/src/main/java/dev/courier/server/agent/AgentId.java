package dev.courier.server.agent;

import dev.courier.server.common.Ids;

/** Identifies an enrolled agent. */
public record AgentId(String value) {
  public AgentId {
    Ids.requireValid(value, "AgentId");
  }

  public static AgentId of(String value) {
    return new AgentId(value);
  }

  /** A new time-ordered id. */
  public static AgentId random() {
    return new AgentId(Ids.newId());
  }

  @Override
  public String toString() {
    return value;
  }
}
