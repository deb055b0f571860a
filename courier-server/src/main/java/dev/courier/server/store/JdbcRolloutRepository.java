package dev.courier.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.Priority;
import dev.courier.protocol.ProtocolJson;
import dev.courier.server.common.Cursor;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.fleet.Rollout;
import dev.courier.server.fleet.RolloutCounts;
import dev.courier.server.fleet.RolloutQuery;
import dev.courier.server.fleet.RolloutRepository;
import dev.courier.server.fleet.RolloutStatus;
import dev.courier.server.fleet.RolloutTarget;
import dev.courier.server.fleet.TargetSelector;
import dev.courier.server.tenant.TenantId;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rollouts and rollout_targets tables. */
final class JdbcRolloutRepository implements RolloutRepository {
  private static final ObjectMapper JSON = ProtocolJson.plainMapper();

  private final Jdbc jdbc;

  JdbcRolloutRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(Rollout r) {
    RolloutCounts c = r.counts();
    jdbc.update(
        "INSERT INTO rollouts (id, tenant_id, schedule_id, selector, type, params, priority_rank,"
            + " max_concurrency, max_concurrency_spec, max_errors, max_errors_spec, canary,"
            + " timeout_seconds, status, target_count, queued_count, offline_count, reason,"
            + " created_by, created_at, started_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p ->
            p.string(r.id())
                .string(r.tenantId().value())
                .string(r.scheduleId())
                .json(r.selector().toJson().toString())
                .string(r.type())
                .json(r.paramsJson())
                .integer(r.priority().rank())
                .integer(r.maxConcurrency())
                .string(r.maxConcurrencySpec())
                .integer(r.maxErrors())
                .string(r.maxErrorsSpec())
                .integer(r.canary())
                .integer((int) r.timeout().toSeconds())
                .string(r.status().wireName())
                .integer(c.targets())
                .integer(c.queued())
                .integer(c.offline())
                .string(r.reason())
                .string(r.createdBy())
                .instant(r.createdAt())
                .instant(r.createdAt())
                .instant(r.updatedAt()));
  }

  @Override
  public void insertTargets(
      Rollout rollout,
      List<RolloutTarget> targets,
      Map<Integer, CommandId> dispatched,
      Instant at) {
    if (targets.isEmpty()) {
      return;
    }
    jdbc.batch(
        "INSERT INTO rollout_targets (rollout_id, position, tenant_id, agent_id, command_id)"
            + " VALUES (?, ?, ?, ?, ?)",
        targets,
        (p, target) -> {
          CommandId child = dispatched.get(target.position());
          p.string(rollout.id())
              .integer(target.position())
              .string(rollout.tenantId().value())
              .string(target.agentId().value())
              .string(child == null ? null : child.value());
        });
    moveQueuedToPending(rollout.id(), dispatched.size(), at);
  }

  @Override
  public Optional<Rollout> find(String id) {
    return jdbc.queryOne(
        "SELECT * FROM rollouts WHERE id = ?", p -> p.string(id), JdbcRolloutRepository::map);
  }

  @Override
  public Optional<Rollout> find(TenantId tenantId, String id) {
    return jdbc.queryOne(
        "SELECT * FROM rollouts WHERE id = ? AND tenant_id = ?",
        p -> p.string(id).string(tenantId.value()),
        JdbcRolloutRepository::map);
  }

  @Override
  public Optional<Rollout> lock(String id) {
    return jdbc.queryOne(
        "SELECT * FROM rollouts WHERE id = ?" + jdbc.dialect().forUpdateClause(),
        p -> p.string(id),
        JdbcRolloutRepository::map);
  }

  @Override
  public Page<Rollout> list(RolloutQuery query, PageRequest page) {
    return new Keyset("created_at")
        .whereIfPresent(query.tenantId(), "tenant_id = ?", p -> p.string(query.tenantId().value()))
        .whereIfPresent(query.status(), "status = ?", p -> p.string(query.status().wireName()))
        .whereIfPresent(query.scheduleId(), "schedule_id = ?", p -> p.string(query.scheduleId()))
        .page(
            jdbc,
            "rollouts",
            page,
            JdbcRolloutRepository::map,
            r -> new Cursor(r.createdAt(), r.id()));
  }

  @Override
  public List<String> active(int limit) {
    return jdbc.query(
        "SELECT id FROM rollouts WHERE status IN ('canary', 'running') ORDER BY created_at LIMIT ?",
        p -> p.integer(limit),
        row -> row.string("id"));
  }

  @Override
  public List<RolloutTarget> nextQueued(String rolloutId, int limit) {
    return jdbc.query(
        "SELECT position, agent_id FROM rollout_targets"
            + " WHERE rollout_id = ? AND command_id IS NULL AND NOT skipped"
            + " ORDER BY position LIMIT ?",
        p -> p.string(rolloutId).integer(limit),
        row -> new RolloutTarget(row.integer("position"), AgentId.of(row.string("agent_id"))));
  }

  @Override
  public void dispatched(String rolloutId, Map<Integer, CommandId> children, Instant at) {
    if (children.isEmpty()) {
      return;
    }
    jdbc.batch(
        "UPDATE rollout_targets SET command_id = ? WHERE rollout_id = ? AND position = ?",
        new ArrayList<>(children.entrySet()),
        (p, child) -> p.string(child.getValue().value()).string(rolloutId).integer(child.getKey()));
    moveQueuedToPending(rolloutId, children.size(), at);
  }

  private void moveQueuedToPending(String rolloutId, int children, Instant at) {
    if (children == 0) {
      return;
    }
    jdbc.update(
        "UPDATE rollouts SET queued_count = queued_count - ?, pending_count = pending_count + ?,"
            + " updated_at = ? WHERE id = ?",
        p -> p.integer(children).integer(children).instant(at).string(rolloutId));
  }

  @Override
  public int skipQueued(String rolloutId, Instant at) {
    int skipped =
        jdbc.update(
            "UPDATE rollout_targets SET skipped = TRUE"
                + " WHERE rollout_id = ? AND command_id IS NULL AND NOT skipped",
            p -> p.string(rolloutId));
    if (skipped > 0) {
      jdbc.update(
          "UPDATE rollouts SET queued_count = queued_count - ?, skipped_count = skipped_count + ?,"
              + " updated_at = ? WHERE id = ?",
          p -> p.integer(skipped).integer(skipped).instant(at).string(rolloutId));
    }
    return skipped;
  }

  @Override
  public void moveChild(String rolloutId, CommandStatus from, CommandStatus to, Instant at) {
    String fromColumn = column(from);
    String toColumn = column(to);
    jdbc.update(
        "UPDATE rollouts SET "
            + fromColumn
            + " = "
            + fromColumn
            + " - 1, "
            + toColumn
            + " = "
            + toColumn
            + " + 1, updated_at = ? WHERE id = ?",
        p -> p.instant(at).string(rolloutId));
  }

  @Override
  public void addToCounts(String rolloutId, Map<CommandStatus, Integer> deltas, Instant at) {
    List<Map.Entry<CommandStatus, Integer>> changed =
        deltas.entrySet().stream().filter(delta -> delta.getValue() != 0).toList();
    if (changed.isEmpty()) {
      return;
    }
    StringBuilder sql = new StringBuilder("UPDATE rollouts SET ");
    for (Map.Entry<CommandStatus, Integer> delta : changed) {
      String column = column(delta.getKey());
      sql.append(column).append(" = ").append(column).append(" + ?, ");
    }
    sql.append("updated_at = ? WHERE id = ?");
    jdbc.update(
        sql.toString(),
        p -> {
          for (Map.Entry<CommandStatus, Integer> delta : changed) {
            p.integer(delta.getValue());
          }
          p.instant(at).string(rolloutId);
        });
  }

  @Override
  public void finish(String rolloutId, RolloutStatus status, String reason, Instant at) {
    jdbc.update(
        "UPDATE rollouts SET status = ?, reason = COALESCE(?, reason), completed_at = ?,"
            + " updated_at = ? WHERE id = ?",
        p -> p.string(status.wireName()).string(reason).instant(at).instant(at).string(rolloutId));
  }

  @Override
  public void promote(String rolloutId, Instant at) {
    jdbc.update(
        "UPDATE rollouts SET status = 'running', updated_at = ? WHERE id = ? AND status = 'canary'",
        p -> p.instant(at).string(rolloutId));
  }

  /** The counter column of a child status; a fixed set, never caller text, so safe to splice. */
  private static String column(CommandStatus status) {
    return switch (status) {
      case PENDING -> "pending_count";
      case ACCEPTED -> "accepted_count";
      case RUNNING -> "running_count";
      case CANCELLING -> "cancelling_count";
      case COMPLETED -> "completed_count";
      case FAILED -> "failed_count";
      case TIMED_OUT -> "timed_out_count";
      case CANCELLED -> "cancelled_count";
      case EXPIRED -> "expired_count";
    };
  }

  private static Rollout map(Row row) throws SQLException {
    String tenant = row.string("tenant_id");
    RolloutCounts counts =
        new RolloutCounts(
            row.integer("target_count"),
            row.integer("queued_count"),
            row.integer("pending_count"),
            row.integer("accepted_count"),
            row.integer("running_count"),
            row.integer("cancelling_count"),
            row.integer("completed_count"),
            row.integer("failed_count"),
            row.integer("timed_out_count"),
            row.integer("cancelled_count"),
            row.integer("expired_count"),
            row.integer("skipped_count"),
            row.integer("offline_count"));
    return new Rollout(
        row.string("id"),
        TenantId.of(tenant),
        row.string("schedule_id"),
        selector(row.json("selector")),
        row.string("type"),
        row.json("params"),
        Priority.fromRank(row.integer("priority_rank")),
        Duration.ofSeconds(row.integer("timeout_seconds")),
        row.integer("max_concurrency"),
        row.string("max_concurrency_spec"),
        row.integer("max_errors"),
        row.string("max_errors_spec"),
        row.integer("canary"),
        RolloutStatus.fromWire(row.string("status")),
        counts,
        row.string("reason"),
        row.string("created_by"),
        row.instant("created_at"),
        row.instant("completed_at"),
        row.instant("updated_at"));
  }

  private static TargetSelector selector(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      return TargetSelector.fromJson(node, "selector");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("stored selector is malformed", e);
    }
  }
}
