package dev.courier.server.store;

import dev.courier.protocol.CommandStatus;
import dev.courier.server.command.SettledCommand;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/**
 * The one {@code UPDATE commands ... WHERE id = ?} that writes a batch's later moves of a command
 * it holds (see {@link SettledCommand}): what each move would have set through {@link
 * CommandTransitionSql}, without its guard, except the status a command held from memory must still
 * be in ({@link SettledCommand#expected}). Commands settled the same way share the statement.
 */
final class CommandSettleSql {

  private CommandSettleSql() {}

  static String sqlFor(SettledCommand settled) {
    StringBuilder sql =
        new StringBuilder("UPDATE commands SET status = ?, previous_status = ?, updated_at = ?");
    for (CommandStatus entered : settled.entered().keySet()) {
      CommandTransitionSql.appendMoveInto(sql, entered);
    }
    CommandTransitionSql.appendOutcome(sql, settled.result(), settled.error());
    sql.append(" WHERE id = ?");
    if (settled.expected() != null) {
      sql.append(" AND status = ?");
    }
    return sql.toString();
  }

  static void bind(Params p, SettledCommand settled) throws SQLException {
    p.string(settled.status().wireName())
        .string(settled.previous().wireName())
        .instant(settled.updatedAt());
    for (Map.Entry<CommandStatus, Instant> entered : settled.entered().entrySet()) {
      CommandTransitionSql.bindMoveInto(p, entered.getKey(), entered.getValue());
    }
    CommandTransitionSql.bindOutcome(p, settled.result(), settled.error());
    p.string(settled.id().value());
    if (settled.expected() != null) {
      p.string(settled.expected().wireName());
    }
  }
}
