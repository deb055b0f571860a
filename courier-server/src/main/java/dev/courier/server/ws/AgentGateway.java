package dev.courier.server.ws;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.server.command.Command;
import dev.courier.server.command.CommandEnvelopes;
import dev.courier.server.command.CommandNotifier;
import dev.courier.server.command.CommandWaiters;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry of agents connected to this node, and the push half of hybrid delivery: a new
 * command or a cancel goes straight down the agent's socket; an agent that is not connected here
 * learns at its next poll, heartbeat or reconnect.
 */
public final class AgentGateway implements CommandNotifier {

  /** Close code for a connection superseded by a newer one of the same agent. */
  static final int REPLACED = 4000;

  private final Map<AgentId, AgentConnection> connections = new ConcurrentHashMap<>();
  private final CommandEnvelopes envelopes;
  private final CommandWaiters waiters;

  public AgentGateway(CommandEnvelopes envelopes, CommandWaiters waiters) {
    this.envelopes = envelopes;
    this.waiters = waiters;
  }

  void register(AgentConnection connection) {
    AgentConnection previous = connections.put(connection.agent().id(), connection);
    if (previous != null && previous != connection) {
      previous.close(REPLACED, "replaced by a newer connection of the same agent");
    }
  }

  void unregister(AgentConnection connection) {
    connections.remove(connection.agent().id(), connection);
  }

  public boolean isConnected(AgentId agent) {
    return connections.containsKey(agent);
  }

  public int connectedCount() {
    return connections.size();
  }

  Optional<AgentConnection> connection(AgentId agent) {
    return Optional.ofNullable(connections.get(agent));
  }

  @Override
  public void commandReady(Command command) {
    connection(command.agentId())
        .ifPresent(
            connection ->
                connection.send(new ServerFrame.CommandDelivery(envelopes.envelopeFor(command))));
  }

  @Override
  public void cancelRequested(Command command) {
    connection(command.agentId())
        .ifPresent(
            connection ->
                connection.send(new ServerFrame.Cancel(command.id(), "cancelled by an operator")));
  }

  @Override
  public void commandFinished(Command command) {
    waiters.finished(command.id());
  }

  /** Closes every agent socket (shutdown); agents reconnect to another node or after restart. */
  public void closeAll(String reason) {
    connections.values().forEach(connection -> connection.close(1001, reason));
    connections.clear();
  }
}
