package dev.courier.server.store;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.Priority;
import dev.courier.server.command.Command;
import dev.courier.server.command.CommandResult;
import dev.courier.server.tenant.TenantId;
import java.sql.SQLException;
import java.time.Duration;

/** Maps a command to the columns of {@code commands} and back. */
final class CommandRows {
  private CommandRows() {}

  static void bindInsert(Params p, Command c) throws SQLException {
    CommandResult r = c.result();
    p.string(c.id().value())
        .string(c.tenantId().value())
        .string(c.agentId().value())
        .string(c.rolloutId())
        .string(c.scheduleId())
        .string(c.type())
        .json(c.paramsJson())
        .integer(c.priority().rank())
        .string(c.status().wireName())
        .integer(c.attempt())
        .longValue(c.timeout().toSeconds())
        .string(c.idempotencyKey())
        .string(c.requestHash())
        .string(c.requestedBy())
        .instant(c.createdAt())
        .instant(c.acceptedAt())
        .instant(c.startedAt())
        .instant(c.completedAt())
        .instant(c.expiresAt())
        .instant(c.updatedAt())
        .string(r == null ? null : r.status())
        .integer(r == null ? null : r.exitCode())
        .longValue(r == null || r.duration() == null ? null : r.duration().toMillis())
        .string(r == null ? null : r.summary())
        .integer(r == null ? null : r.findingsCount())
        .json(r == null ? null : r.metadataJson())
        .string(r == null ? null : r.output())
        .bool(r != null && r.outputTruncated())
        .string(c.error());
  }

  static Command map(Row row) throws SQLException {
    return new Command(
        CommandId.of(row.string("id")),
        TenantId.of(row.string("tenant_id")),
        AgentId.of(row.string("agent_id")),
        row.string("rollout_id"),
        row.string("schedule_id"),
        row.string("type"),
        row.json("params"),
        Priority.fromRank(row.integer("priority_rank")),
        CommandStatus.fromWire(row.string("status")),
        row.integer("attempt"),
        Duration.ofSeconds(row.longValue("timeout_seconds")),
        row.string("idempotency_key"),
        row.string("request_hash"),
        row.string("requested_by"),
        row.instant("created_at"),
        row.instant("accepted_at"),
        row.instant("started_at"),
        row.instant("completed_at"),
        row.instant("expires_at"),
        row.instant("updated_at"),
        result(row),
        row.string("error"));
  }

  /** A result exists once the agent reported a status. */
  private static CommandResult result(Row row) throws SQLException {
    String status = row.string("result_status");
    if (status == null) {
      return null;
    }
    Long durationMs = row.longValue("duration_ms");
    return new CommandResult(
        status,
        row.integer("exit_code"),
        durationMs == null ? null : Duration.ofMillis(durationMs),
        row.string("summary"),
        row.integer("findings_count"),
        row.json("metadata"),
        row.string("output"),
        row.bool("output_truncated"));
  }
}
