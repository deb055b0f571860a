package dev.courier.server.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.server.agent.AgentRepository;
import dev.courier.server.agent.FinishedCommands;
import dev.courier.server.common.GroupCommit;
import dev.courier.server.common.Transactions;
import dev.courier.server.events.Event;
import dev.courier.server.events.EventOutbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Applies a {@link CommandEvent} to a stored command: one guarded write per possible target (from
 * {@link CommandLifecycle}), and the matching {@code command.*} event in the same transaction.
 * Whoever loses a race gets an empty answer and decides what that means for its caller. In a group
 * commit's batch, a command is read and locked once and its moves other than an acceptance are
 * worked out in memory, then written together before the batch commits (see {@link HeldCommand}); a
 * command an earlier batch of this node left unfinished is not even read, but held from what that
 * batch committed (see {@link RememberedCommands}).
 */
public final class CommandTransitions {

  /** The events of a group commit's batch, written together just before it commits. */
  private static final Object BATCH_EVENTS = new Object();

  /** The agents' finished-command counts of a group commit's batch, likewise. */
  private static final Object BATCH_AGENT_COUNTS = new Object();

  /** The commands a group commit's batch moved, held until it commits (see {@link HeldCommand}). */
  private static final Object BATCH_HELD = new Object();

  private final Transactions transactions;
  private final CommandRepository commands;
  private final EventOutbox events;
  private final AgentRepository agents;
  private final ObjectMapper json;
  private final RememberedCommands remembered = new RememberedCommands();
  private volatile RolloutProgress rollouts = RolloutProgress.NONE;

  public CommandTransitions(
      Transactions transactions,
      CommandRepository commands,
      EventOutbox events,
      AgentRepository agents,
      ObjectMapper json) {
    this.transactions = transactions;
    this.commands = commands;
    this.events = events;
    this.agents = agents;
    this.json = json;
  }

  /**
   * Connects the rollouts' counters; set once by the composition root, which builds rollouts after
   * the transitions they count.
   */
  public void reportRolloutsTo(RolloutProgress progress) {
    if (this.rollouts != RolloutProgress.NONE) {
      throw new IllegalStateException("rollout progress is already connected");
    }
    this.rollouts = progress;
  }

  /**
   * Applies {@code event}; returns the status it produced, or empty if the command was not in a
   * state that allows it.
   */
  public Optional<CommandStatus> apply(
      Command command, CommandEvent event, Instant at, CommandResult result, String error) {
    return applyTo(new Requested(command.id(), null, event, at, result, error));
  }

  public Optional<CommandStatus> apply(Command command, CommandEvent event, Instant at) {
    return apply(command, event, at, null, null);
  }

  /**
   * Applies an agent's {@code event} to a command addressed to it, without reading the command
   * first: the guarded write itself answers whether it applied (in a group commit's batch, the
   * batch's hold on it). Returns the status it produced, or empty if the command is not this
   * agent's or not in a state that allows it; only then is it worth reading the command, to say
   * why.
   */
  public Optional<CommandStatus> applyFor(
      AgentId agentId,
      CommandId id,
      CommandEvent event,
      Instant at,
      CommandResult result,
      String error) {
    return applyTo(new Requested(id, agentId, event, at, result, error));
  }

  public Optional<CommandStatus> applyFor(
      AgentId agentId, CommandId id, CommandEvent event, Instant at) {
    return applyFor(agentId, id, event, at, null, null);
  }

  /**
   * Outside a group commit's batch, one guarded write (see {@link #guardedMove}). In a batch the
   * command is held from its first move on (see {@link HeldCommand}): its moves are worked out in
   * memory and written once, just before the batch commits. An agent's {@code running} and a quick
   * command's result then cost one write instead of two.
   */
  private Optional<CommandStatus> applyTo(Requested move) {
    return atomically(
        () -> {
          Map<CommandId, HeldCommand> held =
              GroupCommit.perBatch(transactions, BATCH_HELD, LinkedHashMap::new, this::settle);
          if (held == null) {
            return guardedMove(move).map(HeldCommand::status);
          }
          if (move.event() == CommandEvent.ACCEPT) {
            // An acceptance's expiry guard lives in its write (CommandRepository.move), so it
            // always takes one, after the batch's earlier moves of the command.
            HeldCommand earlier = held.remove(move.id());
            if (earlier != null) {
              writeNow(earlier);
            }
            Optional<HeldCommand> accepted = guardedMove(move);
            accepted.ifPresent(holding -> held.put(move.id(), holding));
            return accepted.map(HeldCommand::status);
          }
          HeldCommand holding = held.get(move.id());
          if (holding == null) {
            holding = remembered.take(move.id()).map(HeldCommand::remembered).orElse(null);
          }
          if (holding == null) {
            holding = lockForMove(move.id()).orElse(null);
          }
          if (holding == null) {
            return Optional.<CommandStatus>empty();
          }
          held.put(move.id(), holding);
          return moveHeld(holding, move, held);
        });
  }

  private Optional<HeldCommand> lockForMove(CommandId id) {
    return commands.lockForMove(id).map(locked -> new HeldCommand(locked, locked.from()));
  }

  /**
   * One guarded write per possible target; the one that moves the command also appends its event
   * and moves the counters that follow its status.
   *
   * @return the command it moved, in the status it moved to
   */
  private Optional<HeldCommand> guardedMove(Requested move) {
    for (Map.Entry<CommandStatus, Set<CommandStatus>> transition :
        CommandLifecycle.transitions(move.event()).entrySet()) {
      CommandStatus target = transition.getKey();
      Optional<MovedCommand> moved =
          commands.move(
              move.id(),
              move.addressedTo(),
              transition.getValue(),
              target,
              move.at(),
              move.result(),
              move.error());
      if (moved.isPresent()) {
        // Whatever this node remembered of the command is out of date now.
        remembered.forget(move.id());
        followMove(moved.get(), target, move.at(), move.error());
        return Optional.of(new HeldCommand(moved.get(), target));
      }
    }
    return Optional.empty();
  }

  /**
   * Moves a command the batch holds. When the move is refused its caller reads the row to say why,
   * so the batch's earlier moves of it are written first. A command held from memory whose status
   * is not yet confirmed by a write is read and locked before a refusal counts: the status
   * remembered may be older than the row's.
   */
  private Optional<CommandStatus> moveHeld(
      HeldCommand holding, Requested move, Map<CommandId, HeldCommand> held) {
    Optional<MovedCommand> moved =
        holding.move(move.addressedTo(), move.event(), move.at(), move.result(), move.error());
    if (moved.isEmpty()) {
      writeNow(holding);
      if (holding.unconfirmed()) {
        Optional<HeldCommand> locked = lockForMove(move.id());
        if (locked.isEmpty()) {
          held.remove(move.id());
          return Optional.empty();
        }
        held.put(move.id(), locked.get());
        return moveHeld(locked.get(), move, held);
      }
      return Optional.empty();
    }
    followMove(moved.get(), holding.status(), move.at(), move.error());
    return Optional.of(holding.status());
  }

  private void writeNow(HeldCommand holding) {
    holding.takeUnwritten().ifPresent(write -> settleAll(List.of(write)));
  }

  /**
   * Writes the batch's moves of the commands it holds, just before it commits, and remembers the
   * unfinished ones once it has committed (see {@link RememberedCommands}).
   */
  private void settle(Map<CommandId, HeldCommand> held) {
    List<SettledCommand> writes = new ArrayList<>();
    held.values().forEach(holding -> holding.takeUnwritten().ifPresent(writes::add));
    if (!writes.isEmpty()) {
      settleAll(writes);
    }
    List<MovedCommand> unfinished = new ArrayList<>();
    for (HeldCommand holding : held.values()) {
      if (!holding.status().isTerminal()) {
        unfinished.add(holding.now());
      }
    }
    transactions.afterCommit(() -> unfinished.forEach(remembered::remember));
  }

  /**
   * Writes held moves; if a command held from memory was moved meanwhile by someone else, the whole
   * batch fails, and the group commit runs its items again, each alone, which then read the row
   * (what was remembered of it is gone).
   */
  private void settleAll(List<SettledCommand> writes) {
    List<CommandId> movedMeanwhile = commands.settle(writes);
    if (!movedMeanwhile.isEmpty()) {
      movedMeanwhile.forEach(remembered::forget);
      throw new MovedMeanwhileException(movedMeanwhile);
    }
  }

  /** The event and the counters that follow a command's move into {@code target}. */
  private void followMove(MovedCommand command, CommandStatus target, Instant at, String error) {
    append(eventFor(command, target, at, error));
    countOnAgent(command.agentId(), target, at);
    if (command.rolloutId() != null) {
      rollouts.childMoved(command.rolloutId(), command.from(), target, at);
    }
  }

  /**
   * Keeps the agent's health counters in step with its commands, in the same transaction; in a
   * group commit's batch summed per agent and written just before it commits, in agent order, like
   * the events.
   */
  private void countOnAgent(AgentId agentId, CommandStatus target, Instant at) {
    boolean succeeded = target == CommandStatus.COMPLETED;
    if (!succeeded && target != CommandStatus.FAILED && target != CommandStatus.TIMED_OUT) {
      return;
    }
    FinishedCommands finished = FinishedCommands.one(agentId, succeeded, at);
    Map<String, FinishedCommands> batch =
        GroupCommit.perBatch(
            transactions,
            BATCH_AGENT_COUNTS,
            TreeMap::new,
            counts -> agents.countFinishedCommands(List.copyOf(counts.values())));
    if (batch == null) {
      agents.countFinishedCommands(List.of(finished));
    } else {
      batch.merge(agentId.value(), finished, FinishedCommands::plus);
    }
  }

  /** Moves the agent's next pending commands to accepted, with their events, in one transaction. */
  public List<Command> claim(AgentId agentId, int limit, Instant at) {
    return atomically(
        () -> {
          List<Command> claimed = commands.claimPending(agentId, limit, at);
          for (Command command : claimed) {
            append(eventFor(MovedCommand.leaving(command), CommandStatus.ACCEPTED, at, null));
            if (command.rolloutId() != null) {
              rollouts.childMoved(
                  command.rolloutId(), CommandStatus.PENDING, CommandStatus.ACCEPTED, at);
            }
          }
          return claimed;
        });
  }

  /**
   * Appends a transition's event. In a group commit's batch the events of all its transitions are
   * written in one statement batch just before it commits, in the order they were appended: on
   * PostgreSQL one round trip instead of one per transition, on the writer every agent waits for.
   * Nothing in a batch reads its own events back.
   */
  private void append(Event event) {
    List<Event> batch =
        GroupCommit.perBatch(transactions, BATCH_EVENTS, ArrayList::new, events::appendAll);
    if (batch == null) {
      events.append(event);
    } else {
      batch.add(event);
    }
  }

  /** Runs a transition's writes as one unit (see {@link GroupCommit#atomically}). */
  private <T> T atomically(Supplier<T> work) {
    return GroupCommit.atomically(transactions, work);
  }

  /** The outbox entry for a command entering {@code status}. */
  Event eventFor(Command command, CommandStatus status, Instant at, String error) {
    return eventFor(MovedCommand.leaving(command), status, at, error);
  }

  private Event eventFor(MovedCommand command, CommandStatus status, Instant at, String error) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("command_id", command.id().value());
    payload.put("agent_id", command.agentId().value());
    payload.put("type", command.type());
    payload.put("status", status.wireName());
    if (command.rolloutId() != null) {
      payload.put("rollout_id", command.rolloutId());
    }
    if (error != null) {
      payload.put("error", error);
    }
    String type =
        status == CommandStatus.PENDING ? "command.requested" : "command." + status.wireName();
    try {
      return Event.of(
          command.tenantId(), type, command.id().value(), json.writeValueAsString(payload), at);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An event asked of a command: by {@code addressedTo}'s agent (null when the server asks), with
   * the result and server-side error it brings.
   */
  private record Requested(
      CommandId id,
      AgentId addressedTo,
      CommandEvent event,
      Instant at,
      CommandResult result,
      String error) {}
}
