package dev.courier.server.command;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stores commands. It enforces no lifecycle rules of its own: callers say which states a transition
 * may start from, and the write happens only if the row is still in one of them.
 */
public interface CommandRepository {

  /**
   * @throws dev.courier.server.common.DuplicateKeyException if the tenant already used the
   *     command's idempotency key
   */
  void insert(Command command);

  /** Inserts many commands in one batch, as a rollout's fan-out does. */
  void insertAll(List<Command> commands);

  /** Up to {@code limit} of a rollout's children that have not reached a final state. */
  List<Command> unfinishedInRollout(String rolloutId, int limit);

  /**
   * Up to {@code limit} commands waiting for their agent to confirm a cancel ({@code cancelling}),
   * longest accepted first: of one agent, or of every agent when {@code agentId} is null.
   */
  List<Command> findCancelling(AgentId agentId, int limit);

  /** Unscoped lookup, for agents reporting on a command (the caller checks the agent owns it). */
  Optional<Command> find(CommandId id);

  /** The command if it belongs to {@code tenantId}. */
  Optional<Command> find(TenantId tenantId, CommandId id);

  Optional<Command> findByIdempotencyKey(TenantId tenantId, String idempotencyKey);

  /**
   * Moves up to {@code limit} of the agent's pending, unexpired commands to {@code accepted}
   * (counting one more attempt) and returns them, highest priority first, then oldest first. On
   * PostgreSQL concurrent claimers skip each other's rows instead of waiting.
   */
  List<Command> claimPending(AgentId agentId, int limit, Instant now);

  /** The agent's pending, unexpired commands in delivery order, without changing them. */
  List<Command> findPending(AgentId agentId, int limit, Instant now);

  /**
   * Which of {@code agents} have a pending, unexpired command created before {@code createdBefore}:
   * one query for many agents, where asking each with {@link #findPending} would be one query per
   * agent.
   */
  Set<AgentId> withPendingCreatedBefore(
      Collection<AgentId> agents, Instant createdBefore, Instant now);

  /**
   * Moves the command to {@code to} if its status is still one of {@code allowedFrom} and, when
   * {@code addressedTo} is not null, it is that agent's, in one guarded write: of several racing
   * callers exactly one wins. Sets the matching timestamp ({@code accepted_at}, {@code started_at}
   * or, for terminal states, {@code completed_at}) to {@code at}, and stores the agent's result and
   * a server-side error where not null. A move to {@code accepted} also requires that the command
   * has not expired by {@code at}.
   *
   * @return the command as moved, with the status it left; empty if this call changed nothing
   */
  Optional<MovedCommand> move(
      CommandId id,
      AgentId addressedTo,
      Set<CommandStatus> allowedFrom,
      CommandStatus to,
      Instant at,
      CommandResult result,
      String error);

  /**
   * Reads the command for moves worked out in memory and written with {@link #settle}, and locks
   * its row until the transaction ends where the database locks rows (PostgreSQL; SQLite's
   * transaction already holds the one write lock).
   *
   * @return whose command it is and what, with {@code from} the status it is in now (as {@link
   *     MovedCommand#leaving}); empty if there is no such command
   */
  Optional<MovedCommand> lockForMove(CommandId id);

  /**
   * Writes the moves a group commit's batch made of commands it holds (see {@link SettledCommand}),
   * without a guard of its own: its guarded write or {@link #lockForMove} keeps everybody else from
   * moving them until it commits. A command held from memory instead is written only if its row is
   * still in {@link SettledCommand#expected}.
   *
   * @return the commands held from memory whose rows were no longer in the expected status, and so
   *     were not written
   */
  List<CommandId> settle(List<SettledCommand> settled);

  /**
   * {@link #move} for any agent's command, without result or error.
   *
   * @return true if this call made the change
   */
  default boolean transition(
      CommandId id, Set<CommandStatus> allowedFrom, CommandStatus to, Instant at) {
    return move(id, null, allowedFrom, to, at, null, null).isPresent();
  }

  /**
   * {@link #move} for any agent's command.
   *
   * @return true if this call made the change
   */
  default boolean transition(
      CommandId id,
      Set<CommandStatus> allowedFrom,
      CommandStatus to,
      Instant at,
      CommandResult result,
      String error) {
    return move(id, null, allowedFrom, to, at, result, error).isPresent();
  }

  /** Commands newest first, keyset-paginated. */
  Page<Command> list(CommandQuery query, PageRequest page);

  /** Pending commands whose {@code expiresAt} is before {@code now}, for the expiry sweeper. */
  List<Command> findExpiredPending(Instant now, int limit);

  /**
   * Accepted, running or cancelling commands whose start (or, never started, acceptance) plus
   * timeout plus {@code grace} is before {@code now}, for the timeout watchdog: an agent that dies
   * after acknowledging must not leave its command in flight forever.
   */
  List<Command> findOverdueInFlight(Instant now, Duration grace, int limit);
}
