package dev.courier.server.ws;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.frame.FrameCodec;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.server.cluster.ClusterBus;
import dev.courier.server.tunnel.TunnelLink;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tunnel frames go down the agent's WebSocket: on this node directly, or, with several nodes, as a
 * note on the {@link ClusterBus} that the node holding the agent's socket sends on (issue 9 §6: the
 * operator on node A, the agent on node B).
 */
public final class AgentTunnelLink implements TunnelLink {

  private static final Logger log = LoggerFactory.getLogger(AgentTunnelLink.class);

  static final String TOPIC = "courier_tunnel_frames";

  private final AgentGateway gateway;
  private final FrameCodec codec = new FrameCodec();
  private volatile ClusterBus bus;
  private volatile Predicate<AgentId> onlineElsewhere = agent -> false;

  public AgentTunnelLink(AgentGateway gateway) {
    this.gateway = gateway;
  }

  /**
   * Relays frames for agents connected to other nodes through {@code clusterBus}.
   *
   * @param online whether an agent is connected somewhere (its presence), for agents not here
   */
  public void joinCluster(ClusterBus clusterBus, Predicate<AgentId> online) {
    this.onlineElsewhere = online;
    this.bus = clusterBus;
    clusterBus.subscribe(TOPIC, this::onFrame);
  }

  @Override
  public boolean isConnected(AgentId agent) {
    return gateway.isConnected(agent) || (bus != null && onlineElsewhere.test(agent));
  }

  @Override
  public boolean send(AgentId agent, ServerFrame frame) {
    if (gateway.isConnected(agent)) {
      return gateway.connection(agent).map(connection -> connection.send(frame)).orElse(false);
    }
    ClusterBus cluster = bus;
    if (cluster == null) {
      return false;
    }
    try {
      cluster.publish(TOPIC, agent.value() + " " + codec.encode(frame));
      return true;
    } catch (RuntimeException e) {
      log.warn("Relaying a tunnel frame to agent {} failed: {}", agent, e.getMessage());
      return false;
    }
  }

  private void onFrame(String payload) {
    int space = payload.indexOf(' ');
    if (space < 0) {
      return;
    }
    AgentId agent = AgentId.of(payload.substring(0, space));
    gateway
        .connection(agent)
        .ifPresent(
            connection -> {
              try {
                connection.send(codec.decodeFromServer(payload.substring(space + 1)));
              } catch (RuntimeException e) {
                log.warn("A relayed tunnel frame for agent {} failed: {}", agent, e.toString());
              }
            });
  }
}
