package dev.courier.server.store;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.server.command.CommandResult;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * One guarded {@code UPDATE commands ... WHERE id = ? AND status IN (...)}: the status check and
 * the write are a single statement, so of several racing callers exactly one changes the row. It
 * answers with the facts the caller's event needs and the status the row left ({@code
 * previous_status}, set from the old value in the same statement), so nothing reads the row first.
 */
record CommandTransitionSql(
    String sql,
    AgentId addressedTo,
    List<CommandStatus> from,
    CommandStatus to,
    CommandResult result,
    String error) {

  private static final String RESULT_COLUMNS =
      ", result_status = ?, exit_code = ?, duration_ms = ?, summary = ?, findings_count = ?,"
          + " metadata = ?, output = ?, output_truncated = ?";

  static final String RETURNING =
      " RETURNING id, tenant_id, agent_id, type, rollout_id, previous_status";

  static CommandTransitionSql of(
      AgentId addressedTo,
      Set<CommandStatus> allowedFrom,
      CommandStatus to,
      CommandResult result,
      String error) {
    StringBuilder sql =
        new StringBuilder(
            "UPDATE commands SET previous_status = status, status = ?, updated_at = ?");
    appendMoveInto(sql, to);
    appendOutcome(sql, result, error);
    sql.append(" WHERE id = ? AND status IN (")
        .append(String.join(", ", Collections.nCopies(allowedFrom.size(), "?")))
        .append(")");
    if (addressedTo != null) {
      sql.append(" AND agent_id = ?");
    }
    if (to == CommandStatus.ACCEPTED) {
      // The claim's rule (JdbcCommandRepository.PENDING_OF_AGENT): work past its expiry is never
      // handed out, whichever way the agent asks for it.
      sql.append(" AND (expires_at IS NULL OR expires_at > ?)");
    }
    sql.append(RETURNING);
    return new CommandTransitionSql(
        sql.toString(), addressedTo, List.copyOf(allowedFrom), to, result, error);
  }

  /**
   * What entering {@code to} sets besides the status: its lifecycle timestamp (bound by {@link
   * #bindMoveInto}) and, for an acceptance, the attempt count.
   */
  static void appendMoveInto(StringBuilder sql, CommandStatus to) {
    String timeColumn = timeColumnFor(to);
    if (timeColumn != null) {
      sql.append(", ").append(timeColumn).append(" = ?");
    }
    if (to == CommandStatus.ACCEPTED) {
      sql.append(", attempt = attempt + 1");
    }
  }

  static void bindMoveInto(Params p, CommandStatus to, Instant at) throws SQLException {
    if (timeColumnFor(to) != null) {
      p.instant(at);
    }
  }

  /**
   * The result and the server-side error, each set only when there is one (see {@link
   * #bindOutcome}).
   */
  static void appendOutcome(StringBuilder sql, CommandResult result, String error) {
    if (result != null) {
      sql.append(RESULT_COLUMNS);
    }
    if (error != null) {
      sql.append(", error = ?");
    }
  }

  static void bindOutcome(Params p, CommandResult result, String error) throws SQLException {
    if (result != null) {
      bindResult(p, result);
    }
    if (error != null) {
      p.string(error);
    }
  }

  /** The lifecycle timestamp a move into {@code to} sets, or null if it sets none. */
  private static String timeColumnFor(CommandStatus to) {
    return switch (to) {
      case ACCEPTED -> "accepted_at";
      case RUNNING -> "started_at";
      case COMPLETED, FAILED, TIMED_OUT, CANCELLED, EXPIRED -> "completed_at";
      case PENDING, CANCELLING -> null;
    };
  }

  private static void bindResult(Params p, CommandResult result) throws SQLException {
    p.string(result.status())
        .integer(result.exitCode())
        .longValue(result.duration() == null ? null : result.duration().toMillis())
        .string(result.summary())
        .integer(result.findingsCount())
        .json(result.metadataJson())
        .string(result.output())
        .bool(result.outputTruncated());
  }

  void bind(Params p, CommandId id, Instant at) throws SQLException {
    p.string(to.wireName()).instant(at);
    bindMoveInto(p, to, at);
    bindOutcome(p, result, error);
    p.string(id.value());
    for (CommandStatus status : from) {
      p.string(status.wireName());
    }
    if (addressedTo != null) {
      p.string(addressedTo.value());
    }
    if (to == CommandStatus.ACCEPTED) {
      p.instant(at);
    }
  }
}
