package dev.courier.agent.sdk;

/** How an agent receives commands. */
public enum Transport {
  /**
   * A WebSocket to {@code /api/v1/agents/ws}, with commands pushed at once. While the socket cannot
   * be opened the agent polls over HTTP, and it goes back to the socket as soon as it can.
   */
  WEBSOCKET,
  /** HTTP polling of {@code GET /api/v1/commands?status=pending} only (seed 004). */
  POLL
}
