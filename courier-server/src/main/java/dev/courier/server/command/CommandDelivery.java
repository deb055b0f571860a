package dev.courier.server.command;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.server.agent.Agent;
import dev.courier.server.agent.AgentQueue;
import dev.courier.server.common.GroupCommit;
import dev.courier.server.common.PageRequest;
import dev.courier.server.error.ConflictException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.error.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the lifecycle, shared by the WebSocket, poll and heartbeat protocols: hand
 * out pending work, take acknowledgements, starts and results. Acknowledging is the first guard of
 * at-most-once execution: exactly one acknowledge of a command succeeds.
 *
 * <p>With a {@link GroupCommit}, the agent's writes (claim, acknowledge, start, result) of many
 * agents share transactions; each call still returns only once its own write has committed, so the
 * answer to the agent always stands for a durable write.
 */
public final class CommandDelivery {

  public static final int MAX_BATCH = 100;

  /**
   * Most unconfirmed cancels one pass sends again (a bus catch-up, a stale-delivery check).
   * Commands wait in {@code cancelling} only until their agent confirms or their timeout passes, so
   * there are few; beyond this many, the rest end by their timeout.
   */
  static final int MAX_UNCONFIRMED_CANCELS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(CommandDelivery.class);

  /** The states an agent's queue is made of: work not yet finished nor already being cancelled. */
  private static final List<CommandStatus> QUEUED =
      List.of(CommandStatus.PENDING, CommandStatus.ACCEPTED, CommandStatus.RUNNING);

  private final CommandRepository commands;
  private final CommandTransitions transitions;
  private final CommandNotifier notifier;
  private final Clock clock;
  private final GroupCommit writes;

  public CommandDelivery(
      CommandRepository commands,
      CommandTransitions transitions,
      CommandNotifier notifier,
      Clock clock) {
    this(commands, transitions, notifier, clock, null);
  }

  /**
   * @param writes the group commit the agents' writes go through, or null to commit each alone
   */
  public CommandDelivery(
      CommandRepository commands,
      CommandTransitions transitions,
      CommandNotifier notifier,
      Clock clock,
      GroupCommit writes) {
    this.commands = commands;
    this.transitions = transitions;
    this.notifier = notifier;
    this.clock = clock;
    this.writes = writes;
  }

  /** Runs an agent's write in a group commit (in the agent's order), or alone without one. */
  private <T> T write(Agent agent, Supplier<T> work) {
    return GroupCommit.callOrRun(writes, agent.id(), work);
  }

  /**
   * Queues an agent's write behind its earlier ones without waiting for it: the future completes
   * once it committed, or with its refusal. Without a group commit the write runs now.
   */
  private <T> CompletableFuture<T> writeLater(Agent agent, Supplier<T> work) {
    return GroupCommit.submitOrRun(writes, agent.id(), Duration.ZERO, work);
  }

  /** The agent's pending commands in delivery order, unchanged (poll and WebSocket push). */
  public List<Command> pending(Agent agent, int limit) {
    return commands.findPending(agent.id(), checkLimit(limit), clock.instant());
  }

  /**
   * The agent's commands still waiting for it to confirm a cancel, longest waiting first: a {@code
   * cancel} frame sent while it was away, or a note lost between nodes, is sent again from these.
   */
  public List<Command> cancelling(Agent agent, int limit) {
    return commands.findCancelling(agent.id(), checkLimit(limit));
  }

  /** {@link #cancelling(Agent, int)} for every agent, the longest waiting first. */
  public List<Command> cancellingAnywhere() {
    List<Command> unconfirmed = commands.findCancelling(null, MAX_UNCONFIRMED_CANCELS);
    if (unconfirmed.size() == MAX_UNCONFIRMED_CANCELS) {
      log.warn(
          "{} or more cancels are unconfirmed; only the {} longest waiting are sent again, the"
              + " rest end by their timeout",
          MAX_UNCONFIRMED_CANCELS,
          MAX_UNCONFIRMED_CANCELS);
    }
    return unconfirmed;
  }

  /**
   * Which of {@code agents} have pending, unexpired work created before {@code createdBefore}, in
   * one query per hundred agents.
   */
  public Set<AgentId> withPendingCreatedBefore(Collection<AgentId> agents, Instant createdBefore) {
    return commands.withPendingCreatedBefore(agents, createdBefore, clock.instant());
  }

  /** Hands out pending commands and marks them accepted at once (seed 000's heartbeat contract). */
  public List<Command> claim(Agent agent, int limit) {
    int checked = checkLimit(limit);
    return write(agent, () -> transitions.claim(agent.id(), checked, clock.instant()));
  }

  /**
   * Accepts delivery of one command. Exactly one acknowledge wins; a repeat, or one for a command
   * that expired or was cancelled meanwhile, is a conflict and the agent must not execute.
   */
  public ReportOutcome acknowledge(Agent agent, CommandId id) {
    return write(agent, () -> acknowledgeNow(agent, id));
  }

  /**
   * {@link #acknowledge} queued behind the agent's earlier writes without waiting: a connection
   * reads the agent's next frame while this one's transaction is still to commit.
   */
  public CompletableFuture<ReportOutcome> acknowledgeLater(Agent agent, CommandId id) {
    return writeLater(agent, () -> acknowledgeNow(agent, id));
  }

  private ReportOutcome acknowledgeNow(Agent agent, CommandId id) {
    Instant now = clock.instant();
    if (transitions.applyFor(agent.id(), id, CommandEvent.ACCEPT, now).isPresent()) {
      return new ReportOutcome(id, CommandStatus.ACCEPTED);
    }
    Command current = owned(agent, id);
    if (current.status() == CommandStatus.PENDING
        && current.expiresAt() != null
        && !current.expiresAt().isAfter(now)) {
      transitions.apply(current, CommandEvent.EXPIRE, now);
      throw new ConflictException("command " + id.value() + " expired before delivery", "id");
    }
    throw new ConflictException(
        "command "
            + id.value()
            + " is "
            + current.status().wireName()
            + (current.status() == CommandStatus.ACCEPTED ? " (already acknowledged)" : "")
            + "; do not execute it",
        "id");
  }

  /**
   * Records that the agent started executing; repeating it, or starting while cancelling, is
   * harmless.
   */
  public ReportOutcome start(Agent agent, CommandId id) {
    return write(agent, () -> startNow(agent, id));
  }

  /** {@link #start} without waiting, like {@link #acknowledgeLater}. */
  public CompletableFuture<ReportOutcome> startLater(Agent agent, CommandId id) {
    return writeLater(agent, () -> startNow(agent, id));
  }

  private ReportOutcome startNow(Agent agent, CommandId id) {
    Optional<CommandStatus> started =
        transitions.applyFor(agent.id(), id, CommandEvent.START, clock.instant());
    if (started.isPresent()) {
      return new ReportOutcome(id, started.get());
    }
    Command current = owned(agent, id);
    if (current.status() != CommandStatus.RUNNING && current.status() != CommandStatus.CANCELLING) {
      throw new ConflictException(
          "command " + id.value() + " is " + current.status().wireName() + "; it cannot start",
          "status");
    }
    return new ReportOutcome(id, current.status());
  }

  /**
   * Stores the agent's final result once. The same result reported again gets the same answer and
   * writes nothing; a different result for a command that is already final is a conflict.
   */
  public ReportOutcome report(Agent agent, CommandId id, ReportedResult reported) {
    requireResult(reported);
    return write(agent, () -> reportNow(agent, id, reported));
  }

  /** {@link #report} without waiting, like {@link #acknowledgeLater}. */
  public CompletableFuture<ReportOutcome> reportLater(
      Agent agent, CommandId id, ReportedResult reported) {
    requireResult(reported);
    return writeLater(agent, () -> reportNow(agent, id, reported));
  }

  private static void requireResult(ReportedResult reported) {
    if (!reported.status().isResult()) {
      throw new InvalidInputException(
          "status must be one of completed, failed, timed_out, cancelled", "status");
    }
  }

  private ReportOutcome reportNow(Agent agent, CommandId id, ReportedResult reported) {
    CommandEvent event = CommandLifecycle.resultEvent(reported.status());
    Optional<CommandStatus> outcome =
        transitions.applyFor(
            agent.id(), id, event, clock.instant(), reported.result(), reported.error());
    if (outcome.isPresent()) {
      notifier.commandFinished(id);
      return new ReportOutcome(id, outcome.get());
    }
    Command current = owned(agent, id);
    if (sameResult(current, reported)) {
      return new ReportOutcome(id, current.status());
    }
    throw new ConflictException(
        "command "
            + id.value()
            + " is already "
            + current.status().wireName()
            + "; a different result cannot replace it",
        "status");
  }

  /**
   * Cancels every unfinished command of an agent that is being decommissioned: pending ones end
   * {@code cancelled}, accepted and running ones become {@code cancelling} and a connected agent
   * gets a {@code cancel} frame. Each is one guarded transition with its event; a command whose
   * agent finished it meanwhile keeps its result.
   */
  public AgentQueue.Cancelled cancelQueue(AgentId agentId) {
    int cancelled = 0;
    int cancelling = 0;
    Set<CommandId> seen = new HashSet<>();
    for (CommandStatus open : QUEUED) {
      CommandQuery query = new CommandQuery(null, agentId, open, null, null);
      // Every command handled leaves this status (cancelled, or finished by its agent), so the
      // first page always holds the ones still to do; a page of only seen ids means none are left.
      while (true) {
        List<Command> page = commands.list(query, PageRequest.first(MAX_BATCH)).items();
        List<Command> fresh = page.stream().filter(command -> seen.add(command.id())).toList();
        if (fresh.isEmpty()) {
          break;
        }
        for (Command command : fresh) {
          Optional<CommandStatus> outcome =
              transitions.apply(command, CommandEvent.CANCEL, clock.instant());
          if (outcome.isEmpty()) {
            continue;
          }
          Command after = commands.find(command.id()).orElse(command);
          if (outcome.get() == CommandStatus.CANCELLING) {
            cancelling++;
            notifier.cancelRequested(after);
          } else {
            cancelled++;
            notifier.commandFinished(after.id());
          }
        }
      }
    }
    return new AgentQueue.Cancelled(cancelled, cancelling);
  }

  private static boolean sameResult(Command current, ReportedResult reported) {
    if (current.status() != reported.status() || current.result() == null) {
      return false;
    }
    CommandResult stored = current.result();
    CommandResult sent = reported.result();
    return Objects.equals(stored.exitCode(), sent.exitCode())
        && Objects.equals(stored.summary(), sent.summary())
        && Objects.equals(stored.findingsCount(), sent.findingsCount());
  }

  /**
   * The command if it is addressed to this agent; another agent's command is simply not found. Read
   * only to explain a refused report: a report that applies never reads the row.
   */
  private Command owned(Agent agent, CommandId id) {
    return commands
        .find(id)
        .filter(command -> command.agentId().equals(agent.id()))
        .orElseThrow(
            () -> new NotFoundException("no command " + id.value() + " for this agent", "id"));
  }

  private static int checkLimit(int limit) {
    if (limit < 1 || limit > MAX_BATCH) {
      throw new InvalidInputException("limit must be between 1 and " + MAX_BATCH, "limit");
    }
    return limit;
  }
}
