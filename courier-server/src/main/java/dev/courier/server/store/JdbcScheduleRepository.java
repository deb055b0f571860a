package dev.courier.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.Priority;
import dev.courier.protocol.ProtocolJson;
import dev.courier.server.common.Cursor;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.fleet.CronSchedule;
import dev.courier.server.fleet.MissedRunPolicy;
import dev.courier.server.fleet.RolloutLimit;
import dev.courier.server.fleet.Schedule;
import dev.courier.server.fleet.ScheduleRepository;
import dev.courier.server.fleet.TargetSelector;
import dev.courier.server.tenant.TenantId;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The schedules table. */
final class JdbcScheduleRepository implements ScheduleRepository {
  private static final ObjectMapper JSON = ProtocolJson.plainMapper();

  private final Jdbc jdbc;

  JdbcScheduleRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(Schedule s) {
    jdbc.update(
        "INSERT INTO schedules (id, tenant_id, name, description, cron_expression, timezone, type,"
            + " params, selector, priority_rank, max_concurrency_spec, max_errors_spec, enabled,"
            + " missed_run_policy, next_run_at, last_run_at, last_error, created_by, created_at,"
            + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p -> {
          p.string(s.id()).string(s.tenantId().value());
          bindFields(p, s);
          p.instant(s.lastRunAt())
              .string(s.lastError())
              .string(s.createdBy())
              .instant(s.createdAt())
              .instant(s.updatedAt());
        });
  }

  @Override
  public void update(Schedule s) {
    jdbc.update(
        "UPDATE schedules SET name = ?, description = ?, cron_expression = ?, timezone = ?,"
            + " type = ?, params = ?, selector = ?, priority_rank = ?, max_concurrency_spec = ?,"
            + " max_errors_spec = ?, enabled = ?, missed_run_policy = ?, next_run_at = ?,"
            + " updated_at = ? WHERE id = ? AND tenant_id = ?",
        p -> {
          bindFields(p, s);
          p.instant(s.updatedAt()).string(s.id()).string(s.tenantId().value());
        });
  }

  /** The fields an edit may change, name to next_run_at, in the order both statements list them. */
  private static void bindFields(Params p, Schedule s) throws SQLException {
    p.string(s.name())
        .string(s.description())
        .string(s.cron().expression())
        .string(s.cron().zone().getId())
        .string(s.type())
        .json(s.params().toString())
        .json(s.selector().toJson().toString())
        .integer(s.priority().rank())
        .string(s.maxConcurrency() == null ? null : s.maxConcurrency().text())
        .string(s.maxErrors() == null ? null : s.maxErrors().text())
        .bool(s.enabled())
        .string(s.missedRunPolicy().wireName())
        .instant(s.nextRunAt());
  }

  @Override
  public Optional<Schedule> find(String id) {
    return jdbc.queryOne(
        "SELECT * FROM schedules WHERE id = ?", p -> p.string(id), JdbcScheduleRepository::map);
  }

  @Override
  public Optional<Schedule> find(TenantId tenantId, String id) {
    return jdbc.queryOne(
        "SELECT * FROM schedules WHERE id = ? AND tenant_id = ?",
        p -> p.string(id).string(tenantId.value()),
        JdbcScheduleRepository::map);
  }

  @Override
  public Page<Schedule> list(TenantId tenantId, String type, PageRequest page) {
    return new Keyset("created_at")
        .whereIfPresent(tenantId, "tenant_id = ?", p -> p.string(tenantId.value()))
        .whereIfPresent(type, "type = ?", p -> p.string(type))
        .page(
            jdbc,
            "schedules",
            page,
            JdbcScheduleRepository::map,
            s -> new Cursor(s.createdAt(), s.id()));
  }

  @Override
  public List<Schedule> claimDue(Instant now, int limit) {
    return jdbc.query(
        "SELECT * FROM schedules WHERE enabled AND next_run_at <= ? ORDER BY next_run_at LIMIT ?"
            + jdbc.dialect().skipLockedClause(),
        p -> p.instant(now).integer(limit),
        JdbcScheduleRepository::map);
  }

  @Override
  public void advance(
      String id, Instant lastRunAt, Instant nextRunAt, String lastError, Instant now) {
    jdbc.update(
        "UPDATE schedules SET last_run_at = COALESCE(?, last_run_at), next_run_at = ?,"
            + " last_error = ?, updated_at = ? WHERE id = ?",
        p -> p.instant(lastRunAt).instant(nextRunAt).string(lastError).instant(now).string(id));
  }

  @Override
  public boolean delete(TenantId tenantId, String id) {
    return jdbc.update(
            "DELETE FROM schedules WHERE id = ? AND tenant_id = ?",
            p -> p.string(id).string(tenantId.value()))
        == 1;
  }

  private static Schedule map(Row row) throws SQLException {
    String concurrency = row.string("max_concurrency_spec");
    String errors = row.string("max_errors_spec");
    return new Schedule(
        row.string("id"),
        TenantId.of(row.string("tenant_id")),
        row.string("name"),
        row.string("description"),
        CronSchedule.parse(row.string("cron_expression"), row.string("timezone")),
        row.string("type"),
        (ObjectNode) tree(row.json("params")),
        TargetSelector.fromJson(tree(row.json("selector")), "selector"),
        Priority.fromRank(row.integer("priority_rank")),
        concurrency == null ? null : RolloutLimit.parse(concurrency, 0, "max_concurrency"),
        errors == null ? null : RolloutLimit.parse(errors, 0, "max_errors"),
        row.bool("enabled"),
        MissedRunPolicy.fromWire(row.string("missed_run_policy")),
        row.instant("next_run_at"),
        row.instant("last_run_at"),
        row.string("last_error"),
        row.string("created_by"),
        row.instant("created_at"),
        row.instant("updated_at"));
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is malformed", e);
    }
  }
}
