package dev.courier.server.agent;

/** Whether the agent is currently heard from. */
public enum AgentStatus {
  ONLINE("online"),
  OFFLINE("offline");

  private final String wireName;

  AgentStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static AgentStatus fromWireName(String name) {
    return switch (name) {
      case "online" -> ONLINE;
      case "offline" -> OFFLINE;
      default -> throw new IllegalArgumentException("unknown agent status: " + name);
    };
  }
}
