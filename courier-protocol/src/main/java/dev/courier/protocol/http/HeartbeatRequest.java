package dev.courier.protocol.http;

import dev.courier.protocol.AgentId;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /api/v1/agents/heartbeat} (seed 000): the agent's snapshot plus results of
 * commands delivered through heartbeats.
 */
public record HeartbeatRequest(
    AgentId agentId,
    String hostname,
    String version,
    String os,
    String arch,
    Long uptimeSeconds,
    List<String> capabilities,
    Map<String, String> labels,
    List<HeartbeatCommandResult> commandResults) {

  /** Missing lists and maps read as empty. */
  public HeartbeatRequest {
    capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    commandResults = commandResults == null ? List.of() : List.copyOf(commandResults);
  }
}
