package dev.courier.server.agent;

/** How many agents a tenant (or the whole fleet) has, by presence. */
public record AgentCounts(long online, long offline, long decommissioned) {

  /** Agents in service. */
  public long total() {
    return online + offline;
  }
}
