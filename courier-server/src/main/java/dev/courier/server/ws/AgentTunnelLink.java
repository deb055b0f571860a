package dev.courier.server.ws;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.server.tunnel.TunnelLink;

/** Tunnel frames go down the agent's WebSocket on this node, as commands do. */
public final class AgentTunnelLink implements TunnelLink {

  private final AgentGateway gateway;

  public AgentTunnelLink(AgentGateway gateway) {
    this.gateway = gateway;
  }

  @Override
  public boolean isConnected(AgentId agent) {
    return gateway.isConnected(agent);
  }

  @Override
  public boolean send(AgentId agent, ServerFrame frame) {
    return gateway.connection(agent).map(connection -> connection.send(frame)).orElse(false);
  }
}
