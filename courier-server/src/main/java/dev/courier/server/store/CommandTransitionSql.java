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
    String timeColumn = timeColumnFor(to);
    if (timeColumn != null) {
      sql.append(", ").append(timeColumn).append(" = ?");
    }
    if (to == CommandStatus.ACCEPTED) {
      sql.append(", attempt = attempt + 1");
    }
    if (result != null) {
      sql.append(
          ", result_status = ?, exit_code = ?, duration_ms = ?, summary = ?, findings_count = ?,"
              + " metadata = ?, output = ?, output_truncated = ?");
    }
    if (error != null) {
      sql.append(", error = ?");
    }
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

  /** The lifecycle timestamp a move into {@code to} sets, or null if it sets none. */
  private static String timeColumnFor(CommandStatus to) {
    return switch (to) {
      case ACCEPTED -> "accepted_at";
      case RUNNING -> "started_at";
      case COMPLETED, FAILED, TIMED_OUT, CANCELLED, EXPIRED -> "completed_at";
      case PENDING, CANCELLING -> null;
    };
  }

  void bind(Params p, CommandId id, Instant at) throws SQLException {
    p.string(to.wireName()).instant(at);
    if (timeColumnFor(to) != null) {
      p.instant(at);
    }
    if (result != null) {
      p.string(result.status())
          .integer(result.exitCode())
          .longValue(result.duration() == null ? null : result.duration().toMillis())
          .string(result.summary())
          .integer(result.findingsCount())
          .json(result.metadataJson())
          .string(result.output())
          .bool(result.outputTruncated());
    }
    if (error != null) {
      p.string(error);
    }
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
