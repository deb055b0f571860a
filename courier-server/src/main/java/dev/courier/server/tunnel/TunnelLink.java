package dev.courier.server.tunnel;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.frame.ServerFrame;

/** The way down to agents: the WebSocket of an agent connected to this node. */
public interface TunnelLink {

  boolean isConnected(AgentId agent);

  /**
   * Sends a frame to the agent's socket on this node.
   *
   * @return false if the agent is not connected here or the send failed
   */
  boolean send(AgentId agent, ServerFrame frame);
}
