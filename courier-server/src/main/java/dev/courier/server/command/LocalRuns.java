package dev.courier.server.command;

import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.Priority;
import dev.courier.server.agent.Agent;
import dev.courier.server.agent.AgentRepository;
import dev.courier.server.agent.FinishedCommands;
import dev.courier.server.common.DuplicateKeyException;
import dev.courier.server.common.Ids;
import dev.courier.server.common.Transactions;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.events.EventOutbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Records commands agents ran on their own (local schedules) in the same history as the server's: a
 * command row already in its final state, its event, and the agent's counters. Reporting a run
 * again (after a lost answer) finds the first record by the run's id.
 */
public final class LocalRuns {

  public static final int MAX_RUNS = 100;
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_.\\-]{0,63}");
  private static final Pattern SCHEDULE = Pattern.compile("[A-Za-z0-9._\\- ]{1,128}");

  private final Transactions transactions;
  private final CommandRepository commands;
  private final EventOutbox events;
  private final AgentRepository agents;
  private final CommandTransitions transitions;
  private final Clock clock;

  public LocalRuns(
      Transactions transactions,
      CommandRepository commands,
      EventOutbox events,
      AgentRepository agents,
      CommandTransitions transitions,
      Clock clock) {
    this.transactions = transactions;
    this.commands = commands;
    this.events = events;
    this.agents = agents;
    this.transitions = transitions;
    this.clock = clock;
  }

  /**
   * @return the command id of each run, in order
   * @throws InvalidInputException naming {@code runs[i].field} for the first bad run; nothing is
   *     recorded then
   */
  public List<CommandId> record(Agent agent, List<LocalRun> runs) {
    if (runs.isEmpty() || runs.size() > MAX_RUNS) {
      throw new InvalidInputException("send 1 to " + MAX_RUNS + " runs", "runs");
    }
    for (int i = 0; i < runs.size(); i++) {
      check(runs.get(i), "runs[" + i + "]");
    }
    return transactions.inTransaction(
        () -> {
          List<CommandId> ids = new ArrayList<>(runs.size());
          for (LocalRun run : runs) {
            ids.add(recordOne(agent, run));
          }
          return ids;
        });
  }

  private CommandId recordOne(Agent agent, LocalRun run) {
    String key = "local:" + agent.id().value() + ":" + run.localRunId();
    Optional<Command> earlier = commands.findByIdempotencyKey(agent.tenantId(), key);
    if (earlier.isPresent()) {
      return earlier.get().id();
    }
    Instant now = clock.instant();
    Instant completed = run.completedAt() == null ? now : run.completedAt();
    Instant started = run.startedAt() == null ? completed : run.startedAt();
    CommandResult result = run.reported().result();
    Duration took =
        result.duration() != null ? result.duration() : Duration.between(started, completed);
    CommandStatus status = run.reported().status();
    Command command =
        new Command(
            CommandId.of(Ids.newId()),
            agent.tenantId(),
            agent.id(),
            null,
            null,
            run.type(),
            run.paramsJson(),
            Priority.NORMAL,
            status,
            1,
            took.isNegative() || took.isZero() ? Duration.ofSeconds(1) : took,
            key,
            null,
            "agent:" + agent.id().value() + (run.schedule() == null ? "" : "/" + run.schedule()),
            started,
            started,
            started,
            completed,
            null,
            now,
            result,
            run.reported().error());
    try {
      transactions.inTransaction(() -> commands.insert(command));
    } catch (DuplicateKeyException raced) {
      // The same run, reported twice at once: the other report recorded it.
      return commands.findByIdempotencyKey(agent.tenantId(), key).orElseThrow().id();
    }
    events.append(transitions.eventFor(command, status, completed, run.reported().error()));
    agents.countFinishedCommands(
        List.of(FinishedCommands.one(agent.id(), status == CommandStatus.COMPLETED, now)));
    return command.id();
  }

  private static void check(LocalRun run, String field) {
    if (!RUN_ID.matcher(run.localRunId()).matches()) {
      throw new InvalidInputException(
          "local_run_id must be 1-128 letters, digits, '.', '_', ':' or '-'",
          field + ".local_run_id");
    }
    if (!TYPE.matcher(run.type()).matches()) {
      throw new InvalidInputException("type is not a command type name", field + ".type");
    }
    if (run.schedule() != null && !SCHEDULE.matcher(run.schedule()).matches()) {
      throw new InvalidInputException(
          "schedule must be 1-128 letters, digits, spaces, '.', '_' or '-'", field + ".schedule");
    }
    if (run.startedAt() != null
        && run.completedAt() != null
        && run.completedAt().isBefore(run.startedAt())) {
      throw new InvalidInputException(
          "completed_at is before started_at", field + ".result.completed_at");
    }
  }
}
