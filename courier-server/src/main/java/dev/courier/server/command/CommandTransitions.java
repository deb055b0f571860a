package dev.courier.server.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandStatus;
import dev.courier.server.agent.AgentRepository;
import dev.courier.server.common.GroupCommit;
import dev.courier.server.common.Transactions;
import dev.courier.server.events.Event;
import dev.courier.server.events.EventOutbox;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Applies a {@link CommandEvent} to a stored command: one guarded write per possible target (from
 * {@link CommandLifecycle}), and the matching {@code command.*} event in the same transaction.
 * Whoever loses a race gets an empty answer and decides what that means for its caller.
 */
public final class CommandTransitions {

  private final Transactions transactions;
  private final CommandRepository commands;
  private final EventOutbox events;
  private final AgentRepository agents;
  private final ObjectMapper json;
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
    return atomically(
        () -> {
          for (Map.Entry<CommandStatus, Set<CommandStatus>> transition :
              CommandLifecycle.transitions(event).entrySet()) {
            CommandStatus target = transition.getKey();
            Optional<CommandStatus> from =
                move(command, transition.getValue(), target, at, result, error);
            if (from.isPresent()) {
              events.append(eventFor(command, target, at, error));
              countOnAgent(command, target, at);
              if (command.rolloutId() != null) {
                rollouts.childMoved(command.rolloutId(), from.get(), target, at);
              }
              return Optional.of(target);
            }
          }
          return Optional.<CommandStatus>empty();
        });
  }

  public Optional<CommandStatus> apply(Command command, CommandEvent event, Instant at) {
    return apply(command, event, at, null, null);
  }

  /**
   * One guarded write; returns the status it moved from. A rollout's child is moved from each
   * allowed status in turn, so its rollout learns exactly which count to take it from; other
   * commands take the single write over the whole set.
   */
  private Optional<CommandStatus> move(
      Command command,
      Set<CommandStatus> allowedFrom,
      CommandStatus target,
      Instant at,
      CommandResult result,
      String error) {
    if (command.rolloutId() == null) {
      return commands.transition(command.id(), allowedFrom, target, at, result, error)
          ? Optional.of(command.status())
          : Optional.empty();
    }
    for (CommandStatus from : allowedFrom) {
      if (commands.transition(command.id(), Set.of(from), target, at, result, error)) {
        return Optional.of(from);
      }
    }
    return Optional.empty();
  }

  /** Keeps the agent's health counters in step with its commands, in the same transaction. */
  private void countOnAgent(Command command, CommandStatus target, Instant at) {
    switch (target) {
      case COMPLETED -> agents.countFinishedCommand(command.agentId(), true, at);
      case FAILED, TIMED_OUT -> agents.countFinishedCommand(command.agentId(), false, at);
      default -> {}
    }
  }

  /** Moves the agent's next pending commands to accepted, with their events, in one transaction. */
  public List<Command> claim(AgentId agentId, int limit, Instant at) {
    return atomically(
        () -> {
          List<Command> claimed = commands.claimPending(agentId, limit, at);
          for (Command command : claimed) {
            events.append(eventFor(command, CommandStatus.ACCEPTED, at, null));
            if (command.rolloutId() != null) {
              rollouts.childMoved(
                  command.rolloutId(), CommandStatus.PENDING, CommandStatus.ACCEPTED, at);
            }
          }
          return claimed;
        });
  }

  /**
   * Runs a transition's writes as one unit. Inside a group commit's batch the batch already is that
   * unit: any failure rolls the whole batch back and reruns each item in a transaction of its own,
   * and no item goes on after a failed transition. A savepoint there would guard nothing and cost
   * two statements on the one writer a fan-out's agents all wait for.
   */
  private <T> T atomically(Supplier<T> work) {
    return GroupCommit.inBatch() && transactions.inProgress()
        ? work.get()
        : transactions.inTransaction(work);
  }

  /** The outbox entry for a command entering {@code status}. */
  Event eventFor(Command command, CommandStatus status, Instant at, String error) {
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
}
