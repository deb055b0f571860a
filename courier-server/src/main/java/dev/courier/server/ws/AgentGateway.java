package dev.courier.server.ws;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.envelope.SignedEnvelope;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.server.agent.AgentSessions;
import dev.courier.server.command.Command;
import dev.courier.server.command.CommandEnvelopes;
import dev.courier.server.command.CommandNotifier;
import dev.courier.server.command.CommandWaiters;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The registry of agents connected to this node, and the push half of hybrid delivery: a new
 * command or a cancel goes straight down the agent's socket; an agent that is not connected here
 * learns at its next poll, heartbeat or reconnect.
 */
public final class AgentGateway implements CommandNotifier, AgentSessions {

  /** Close code for a connection superseded by a newer one of the same agent. */
  static final int REPLACED = 4000;

  /**
   * Close code for a connection whose key stopped working (revoked, decommissioned, or a rotation's
   * grace ended): the same code as a refused key at authentication, so an agent treats both alike.
   */
  static final int KEY_INVALID = AgentSocket.AUTH_FAILED;

  private final Map<AgentId, AgentConnection> connections = new ConcurrentHashMap<>();
  private final CommandEnvelopes envelopes;
  private final CommandWaiters waiters;
  private volatile Consumer<AgentConnection> onRegister = connection -> {};

  public AgentGateway(CommandEnvelopes envelopes, CommandWaiters waiters) {
    this.envelopes = envelopes;
    this.waiters = waiters;
  }

  void register(AgentConnection connection) {
    AgentConnection previous = connections.put(connection.agent().id(), connection);
    if (previous != null && previous != connection) {
      previous.close(REPLACED, "replaced by a newer connection of the same agent");
    }
    onRegister.accept(connection);
  }

  /** Tells {@code listener} of every connection registered from now on (the cluster relay). */
  void onRegister(Consumer<AgentConnection> listener) {
    this.onRegister = listener;
  }

  /** The connections open now. */
  List<AgentConnection> connections() {
    return List.copyOf(connections.values());
  }

  /**
   * Closes {@code connection} because the agent opened a newer one on another node; it is still
   * this node's registered connection for the agent only if nothing replaced it meanwhile.
   */
  void replacedElsewhere(AgentConnection connection) {
    if (connections.remove(connection.agent().id(), connection)) {
      connection.close(
          REPLACED, "replaced by a newer connection of the same agent on another node");
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
    push(command, envelopes.envelopeFor(command));
  }

  /**
   * Signs the envelopes of the wave's commands whose agents are connected here now, from every
   * core, while the wave's transaction goes on; once it committed, pushes them from every core. A
   * command whose agent is not connected here at either moment goes to {@code otherwise}.
   */
  Runnable prepareReady(List<Command> commands, Consumer<Command> otherwise) {
    WavePush<Command, SignedEnvelope> wave =
        WavePush.plan(
            commands,
            Runtime.getRuntime().availableProcessors(),
            command -> isConnected(command.agentId()),
            envelopes::envelopeFor,
            this::push,
            otherwise);
    return wave::send;
  }

  /** False if the agent is not connected here. */
  private boolean push(Command command, SignedEnvelope envelope) {
    Optional<AgentConnection> connection = connection(command.agentId());
    connection.ifPresent(open -> open.send(new ServerFrame.CommandDelivery(envelope)));
    return connection.isPresent();
  }

  @Override
  public void cancelRequested(Command command) {
    connection(command.agentId())
        .ifPresent(
            connection ->
                connection.send(new ServerFrame.Cancel(command.id(), "cancelled by an operator")));
  }

  @Override
  public void commandFinished(CommandId command) {
    waiters.finished(command);
  }

  @Override
  public void keyRotated(
      AgentId agent, String currentKeyHash, String previousKeyHash, Instant previousKeyExpiresAt) {
    connection(agent)
        .ifPresent(
            connection -> {
              if (connection.keyHash().equals(currentKeyHash)) {
                return;
              }
              if (connection.keyHash().equals(previousKeyHash)) {
                connection.keyExpiresAt(previousKeyExpiresAt);
              } else {
                // A key that is neither current nor in its grace: dropped by this rotation.
                disconnect(connection, "key_expired", "the agent key was replaced; reconnect");
              }
            });
  }

  @Override
  public void credentialsRevoked(AgentId agent, String code, String message) {
    connection(agent).ifPresent(connection -> disconnect(connection, code, message));
  }

  /**
   * Closes connections authenticated with a key whose rotation grace has ended by {@code now}.
   *
   * @return how many were closed
   */
  public int closeExpiredKeys(Instant now) {
    int closed = 0;
    for (AgentConnection connection : connections.values()) {
      if (connection.keyExpiredBy(now)) {
        disconnect(
            connection,
            "key_expired",
            "the agent key's rotation grace has ended; reconnect with the new key");
        closed++;
      }
    }
    return closed;
  }

  /** Says why in an {@code error} frame first, then closes, so the agent is never left guessing. */
  private void disconnect(AgentConnection connection, String code, String message) {
    connections.remove(connection.agent().id(), connection);
    connection.send(new ServerFrame.ErrorFrame(code, message, null, null));
    connection.close(KEY_INVALID, code);
  }

  /** Closes every agent socket (shutdown); agents reconnect to another node or after restart. */
  public void closeAll(String reason) {
    connections.values().forEach(connection -> connection.close(1001, reason));
    connections.clear();
  }
}
