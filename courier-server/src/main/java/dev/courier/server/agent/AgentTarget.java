package dev.courier.server.agent;

import dev.courier.protocol.AgentId;
import java.util.Map;

/** What selecting an agent for a rollout needs to know of it, and no more. */
public record AgentTarget(AgentId id, Map<String, String> labels, AgentStatus status) {
  public AgentTarget {
    labels = Map.copyOf(labels);
  }
}
