package dev.courier.server.agent;

import dev.courier.protocol.AgentId;
import java.time.Instant;
import java.util.List;

/**
 * What an agent reported with a heartbeat.
 *
 * @param version null keeps the stored version
 * @param capabilities null keeps the stored capabilities
 */
public record Heartbeat(AgentId agentId, Instant at, String version, List<String> capabilities) {
  public Heartbeat {
    capabilities = capabilities == null ? null : List.copyOf(capabilities);
  }

  public static Heartbeat at(AgentId agentId, Instant at) {
    return new Heartbeat(agentId, at, null, null);
  }
}
