package dev.courier.server.ws;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.server.agent.Agent;
import dev.courier.server.agent.AgentSessions;
import dev.courier.server.cluster.ClusterBus;
import dev.courier.server.command.Command;
import dev.courier.server.command.CommandNotifier;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaches agents whichever node holds their socket. Called inside the transaction that made the
 * change: an agent connected to this node is pushed to once it commits (the local fast path, no
 * round trip); for any other agent a note with the ids goes on the {@link ClusterBus}, and the node
 * holding the socket reads the command and pushes it. A credential change is applied here after
 * commit (in order with this transaction's pushes, so a cancel reaches the agent before its socket
 * closes) and goes on the bus for the other nodes; notes of one transaction arrive in order too.
 *
 * <p>Each connection is announced on the bus when it registers. The bus delivers in commit order to
 * every node, so when a node sees another node's announcement for an agent after its own for its
 * connection, its connection is the older one (the agent reconnected elsewhere and this socket is
 * stale): it is closed, and pushes for the agent go to the bus again. Presence is not touched:
 * online and offline follow heartbeats, wherever they arrive.
 */
public final class ClusterRelay implements CommandNotifier, AgentSessions {

  private static final Logger log = LoggerFactory.getLogger(ClusterRelay.class);

  static final String COMMANDS = "courier_commands";
  static final String AGENTS = "courier_agents";

  private final ClusterBus bus;
  private final AgentGateway gateway;
  private final CommandNotifier local;
  private final Function<CommandId, Optional<Command>> commands;
  private final AgentSessions localSessions;
  private final String node;
  private volatile Function<Agent, List<Command>> pending = agent -> List.of();
  private volatile Supplier<List<Command>> cancelling = List::of;

  /**
   * @param local pushes to this node's sockets after commit (the gateway behind a {@link
   *     dev.courier.server.command.NotifyAfterCommit})
   * @param localSessions closes this node's sockets after commit (the gateway behind a {@link
   *     dev.courier.server.agent.SessionsAfterCommit})
   * @param commands reads a command by id, for a note from another node
   * @param node this node's name, unique in the cluster: it skips its own credential notes
   */
  public ClusterRelay(
      ClusterBus bus,
      AgentGateway gateway,
      CommandNotifier local,
      AgentSessions localSessions,
      Function<CommandId, Optional<Command>> commands,
      String node) {
    if (node.contains(" ")) {
      throw new IllegalArgumentException("a node name has no spaces: " + node);
    }
    this.bus = bus;
    this.gateway = gateway;
    this.local = local;
    this.localSessions = localSessions;
    this.commands = commands;
    this.node = node;
    bus.subscribe(COMMANDS, this::onCommandNote);
    bus.subscribe(AGENTS, this::onAgentNote);
    bus.onReconnect(this::catchUp);
    gateway.onRegister(this::announce);
  }

  /**
   * Where a reconnected bus re-reads an agent's pending commands, to push them again, and the
   * commands waiting for a cancel's confirmation, to send their cancels again (set once the
   * delivery service exists).
   */
  public void catchUpFrom(
      Function<Agent, List<Command>> pendingCommands, Supplier<List<Command>> cancellingCommands) {
    this.pending = pendingCommands;
    this.cancelling = cancellingCommands;
  }

  @Override
  public void commandReady(Command command) {
    if (gateway.isConnected(command.agentId())) {
      local.commandReady(command);
    } else {
      bus.publish(COMMANDS, "ready " + command.agentId().value() + " " + command.id().value());
    }
  }

  /**
   * Prepares the pushes of the wave's commands whose agents are connected here (see {@link
   * AgentGateway#prepareReady}); the others, and any whose agent left meanwhile, go the way of
   * {@link #commandReady} when the pushes run.
   */
  @Override
  public Runnable prepareReady(List<Command> commands) {
    return gateway.prepareReady(commands, this::commandReady);
  }

  @Override
  public void cancelRequested(Command command) {
    if (gateway.isConnected(command.agentId())) {
      local.cancelRequested(command);
    } else {
      bus.publish(COMMANDS, "cancel " + command.agentId().value() + " " + command.id().value());
    }
  }

  /**
   * Wakes this node's waiters only: a waiter on another node re-reads the command at least once a
   * second, which spares a note per finished command.
   */
  @Override
  public void commandFinished(CommandId command) {
    local.commandFinished(command);
  }

  @Override
  public void keyRotated(
      AgentId agent, String currentKeyHash, String previousKeyHash, Instant previousKeyExpiresAt) {
    localSessions.keyRotated(agent, currentKeyHash, previousKeyHash, previousKeyExpiresAt);
    bus.publish(
        AGENTS,
        String.join(
            " ",
            "rotated",
            agent.value(),
            node,
            currentKeyHash,
            orDash(previousKeyHash),
            previousKeyExpiresAt == null ? "-" : previousKeyExpiresAt.toString()));
  }

  @Override
  public void credentialsRevoked(AgentId agent, String code, String message) {
    localSessions.credentialsRevoked(agent, code, message);
    bus.publish(AGENTS, String.join(" ", "revoked", agent.value(), node, code, message));
  }

  private void announce(AgentConnection connection) {
    try {
      bus.publish(AGENTS, "connected " + connection.agent().id().value() + " " + connection.id());
    } catch (RuntimeException e) {
      // Only stale sockets elsewhere go unnoticed; they close with their TCP connection.
      log.warn("Announcing agent {} failed: {}", connection.agent().id(), e.getMessage());
    }
  }

  private void onCommandNote(String payload) {
    String[] part = payload.split(" ", 3);
    if (part.length != 3) {
      log.warn("Ignoring a malformed command note: {}", payload);
      return;
    }
    AgentId agent = AgentId.of(part[1]);
    if (!gateway.isConnected(agent)) {
      return;
    }
    CommandId id = CommandId.of(part[2]);
    switch (part[0]) {
      case "ready" ->
          commands
              .apply(id)
              .filter(command -> command.status() == CommandStatus.PENDING)
              .ifPresent(gateway::commandReady);
      case "cancel" -> commands.apply(id).ifPresent(gateway::cancelRequested);
      default -> log.warn("Ignoring an unknown command note: {}", payload);
    }
  }

  private void onAgentNote(String payload) {
    String[] part = payload.split(" ", 3);
    if (part.length != 3) {
      log.warn("Ignoring a malformed agent note: {}", payload);
      return;
    }
    AgentId agent = AgentId.of(part[1]);
    switch (part[0]) {
      case "connected" -> onAnnounced(agent, part[2]);
      case "revoked" -> {
        String[] rest = part[2].split(" ", 3);
        if (rest.length == 3 && !rest[0].equals(node)) {
          gateway.credentialsRevoked(agent, rest[1], rest[2]);
        }
      }
      case "rotated" -> {
        String[] rest = part[2].split(" ");
        if (rest.length == 4 && !rest[0].equals(node)) {
          gateway.keyRotated(
              agent,
              rest[1],
              fromDash(rest[2]),
              rest[3].equals("-") ? null : Instant.parse(rest[3]));
        }
      }
      default -> log.warn("Ignoring an unknown agent note: {}", payload);
    }
  }

  private void onAnnounced(AgentId agent, String connectionId) {
    gateway
        .connection(agent)
        .ifPresent(
            connection -> {
              if (connection.id().equals(connectionId)) {
                connection.markAnnounced();
              } else if (connection.announced()) {
                log.info("Agent {} reconnected to another node; closing its old socket", agent);
                gateway.replacedElsewhere(connection);
              }
              // Else: an announcement older than this connection's own, still on its way.
            });
  }

  /**
   * After the bus lost notes: push every local agent's pending commands again, and send the cancels
   * still unconfirmed to the local agents they are for.
   */
  private void catchUp() {
    for (AgentConnection connection : gateway.connections()) {
      for (Command command : pending.apply(connection.agent())) {
        gateway.commandReady(command);
      }
    }
    for (Command command : cancelling.get()) {
      if (gateway.isConnected(command.agentId())) {
        gateway.cancelRequested(command);
      }
    }
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  private static String fromDash(String value) {
    return value.equals("-") ? null : value;
  }
}
