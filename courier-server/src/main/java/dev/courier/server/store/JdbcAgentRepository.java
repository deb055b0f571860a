package dev.courier.server.store;

import dev.courier.protocol.AgentId;
import dev.courier.server.agent.Agent;
import dev.courier.server.agent.AgentCounts;
import dev.courier.server.agent.AgentQuery;
import dev.courier.server.agent.AgentRepository;
import dev.courier.server.agent.AgentStatus;
import dev.courier.server.agent.AgentTarget;
import dev.courier.server.agent.EnrollmentTokenId;
import dev.courier.server.agent.FinishedCommands;
import dev.courier.server.agent.Heartbeat;
import dev.courier.server.common.Cursor;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.tenant.TenantId;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

final class JdbcAgentRepository implements AgentRepository {
  private final Jdbc jdbc;

  JdbcAgentRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void create(Agent a) {
    jdbc.update(
        "INSERT INTO agents (id, tenant_id, hostname, os, arch, version, labels, capabilities,"
            + " status, last_heartbeat_at, key_hash, previous_key_hash, previous_key_expires_at,"
            + " revoked_at, decommissioned_at, commands_completed, commands_failed, enrolled_at,"
            + " enrollment_token_id, metadata, inventory, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p ->
            p.string(a.id().value())
                .string(a.tenantId().value())
                .string(a.hostname())
                .string(a.os())
                .string(a.arch())
                .string(a.version())
                .json(Json.write(a.labels()))
                .json(Json.write(a.capabilities()))
                .string(a.status().wireName())
                .instant(a.lastHeartbeatAt())
                .string(a.keyHash())
                .string(a.previousKeyHash())
                .instant(a.previousKeyExpiresAt())
                .instant(a.revokedAt())
                .instant(a.decommissionedAt())
                .longValue(a.commandsCompleted())
                .longValue(a.commandsFailed())
                .instant(a.enrolledAt())
                .string(a.enrollmentTokenId() == null ? null : a.enrollmentTokenId().value())
                .json(a.metadataJson())
                .json(a.inventoryJson())
                .instant(a.enrolledAt()));
  }

  @Override
  public Optional<Agent> find(TenantId tenantId, AgentId id) {
    return jdbc.queryOne(
        "SELECT * FROM agents WHERE id = ? AND tenant_id = ?",
        p -> p.string(id.value()).string(tenantId.value()),
        JdbcAgentRepository::map);
  }

  @Override
  public Optional<Agent> find(AgentId id) {
    return jdbc.queryOne(
        "SELECT * FROM agents WHERE id = ?", p -> p.string(id.value()), JdbcAgentRepository::map);
  }

  @Override
  public Optional<Agent> findByKeyHash(String keyHash, Instant now) {
    // Two indexed lookups in one statement; an OR across the two columns would defeat the indexes.
    return jdbc.queryOne(
        "SELECT * FROM agents WHERE key_hash = ?"
            + " UNION ALL SELECT * FROM agents WHERE previous_key_hash = ?"
            + " AND previous_key_expires_at > ?",
        p -> p.string(keyHash).string(keyHash).instant(now),
        JdbcAgentRepository::map);
  }

  @Override
  public Page<Agent> list(AgentQuery query, PageRequest page) {
    Keyset keyset =
        new Keyset("enrolled_at")
            .whereIfPresent(
                query.tenantId(), "tenant_id = ?", p -> p.string(query.tenantId().value()))
            .whereIfPresent(query.status(), "status = ?", p -> p.string(query.status().wireName()))
            .where(
                query.decommissioned()
                    ? "decommissioned_at IS NOT NULL"
                    : "decommissioned_at IS NULL",
                p -> {});
    if (query.search() != null) {
      String like = "%" + escapeLike(query.search().toLowerCase(Locale.ROOT)) + "%";
      keyset.where(
          "(LOWER(hostname) LIKE ? ESCAPE '\\' OR LOWER(id) LIKE ? ESCAPE '\\')",
          p -> p.string(like).string(like));
    }
    if (query.labels() != null) {
      String field = jdbc.dialect().jsonTextField("labels");
      new TreeMap<>(query.labels())
          .forEach((key, value) -> keyset.where(field + " = ?", p -> p.string(key).string(value)));
    }
    return keyset.page(
        jdbc,
        "agents",
        page,
        JdbcAgentRepository::map,
        a -> new Cursor(a.enrolledAt(), a.id().value()));
  }

  private static String escapeLike(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  @Override
  public AgentCounts count(TenantId tenantId) {
    return jdbc.queryOne(
            "SELECT"
                + " COALESCE(SUM(CASE WHEN decommissioned_at IS NULL AND status = 'online'"
                + " THEN 1 ELSE 0 END), 0) AS online,"
                + " COALESCE(SUM(CASE WHEN decommissioned_at IS NULL AND status <> 'online'"
                + " THEN 1 ELSE 0 END), 0) AS offline,"
                + " COALESCE(SUM(CASE WHEN decommissioned_at IS NOT NULL THEN 1 ELSE 0 END), 0)"
                + " AS decommissioned"
                + " FROM agents"
                + (tenantId == null ? "" : " WHERE tenant_id = ?"),
            p -> {
              if (tenantId != null) {
                p.string(tenantId.value());
              }
            },
            row ->
                new AgentCounts(
                    row.longValue("online"),
                    row.longValue("offline"),
                    row.longValue("decommissioned")))
        .orElseThrow();
  }

  @Override
  public boolean recordHeartbeat(Heartbeat beat) {
    String capabilities = beat.capabilities() == null ? null : Json.write(beat.capabilities());
    String set =
        " SET last_heartbeat_at = ?, status = 'online', version = COALESCE(?, version),"
            + " capabilities = COALESCE(?, capabilities), updated_at = ?";
    Jdbc.Binding bind =
        p ->
            p.instant(beat.at())
                .string(beat.version())
                .json(capabilities)
                .instant(beat.at())
                .string(beat.agentId().value());
    // Guarded writes tell "still online" from "came online" without a read-then-write race; the
    // usual case, an online agent's beat, is the first and only statement.
    if (jdbc.update("UPDATE agents" + set + " WHERE id = ? AND status = 'online'", bind) == 1) {
      return false;
    }
    return jdbc.update("UPDATE agents" + set + " WHERE id = ? AND status = 'offline'", bind) == 1;
  }

  @Override
  public void countFinishedCommands(List<FinishedCommands> counts) {
    jdbc.batch(
        "UPDATE agents SET commands_completed = commands_completed + ?,"
            + " commands_failed = commands_failed + ?, updated_at = ? WHERE id = ?",
        counts,
        (p, count) ->
            p.integer(count.succeeded())
                .integer(count.failed())
                .instant(count.at())
                .string(count.agentId().value()));
  }

  @Override
  public List<AgentId> markOfflineSince(Instant cutoff, Instant now) {
    return jdbc.updateReturning(
        "UPDATE agents SET status = 'offline', updated_at = ?"
            + " WHERE status = 'online' AND last_heartbeat_at < ? RETURNING id",
        p -> p.instant(now).instant(cutoff),
        row -> AgentId.of(row.string("id")));
  }

  @Override
  public boolean updateLabels(
      TenantId tenantId, AgentId id, Map<String, String> labels, Instant now) {
    return jdbc.update(
            "UPDATE agents SET labels = ?, updated_at = ? WHERE id = ? AND tenant_id = ?",
            p ->
                p.json(Json.write(labels)).instant(now).string(id.value()).string(tenantId.value()))
        == 1;
  }

  @Override
  public boolean rotateKey(
      AgentId id,
      String expectedKeyHash,
      String newKeyHash,
      String previousKeyHash,
      Instant previousKeyExpiresAt,
      Instant now) {
    return jdbc.update(
            "UPDATE agents SET key_hash = ?, previous_key_hash = ?, previous_key_expires_at = ?,"
                + " updated_at = ? WHERE id = ? AND key_hash = ? AND revoked_at IS NULL"
                + " AND decommissioned_at IS NULL",
            p ->
                p.string(newKeyHash)
                    .string(previousKeyHash)
                    .instant(previousKeyExpiresAt)
                    .instant(now)
                    .string(id.value())
                    .string(expectedKeyHash))
        == 1;
  }

  @Override
  public boolean revoke(AgentId id, Instant now) {
    return jdbc.update(
            "UPDATE agents SET revoked_at = ?, previous_key_hash = NULL,"
                + " previous_key_expires_at = NULL, updated_at = ?"
                + " WHERE id = ? AND revoked_at IS NULL",
            p -> p.instant(now).instant(now).string(id.value()))
        == 1;
  }

  @Override
  public boolean decommission(AgentId id, Instant now) {
    return jdbc.update(
            "UPDATE agents SET decommissioned_at = ?, revoked_at = COALESCE(revoked_at, ?),"
                + " previous_key_hash = NULL, previous_key_expires_at = NULL,"
                + " status = 'offline', updated_at = ?"
                + " WHERE id = ? AND decommissioned_at IS NULL",
            p -> p.instant(now).instant(now).instant(now).string(id.value()))
        == 1;
  }

  @Override
  public List<AgentTarget> targets(TenantId tenantId) {
    return jdbc.query(
        "SELECT id, labels, status FROM agents WHERE tenant_id = ? AND revoked_at IS NULL"
            + " AND decommissioned_at IS NULL ORDER BY enrolled_at, id",
        p -> p.string(tenantId.value()),
        row ->
            new AgentTarget(
                AgentId.of(row.string("id")),
                Json.stringMap(row.json("labels")),
                AgentStatus.fromWireName(row.string("status"))));
  }

  private static Agent map(Row row) throws SQLException {
    String token = row.string("enrollment_token_id");
    return new Agent(
        AgentId.of(row.string("id")),
        TenantId.of(row.string("tenant_id")),
        row.string("hostname"),
        row.string("os"),
        row.string("arch"),
        row.string("version"),
        Json.stringMap(row.json("labels")),
        Json.stringList(row.json("capabilities")),
        AgentStatus.fromWireName(row.string("status")),
        row.instant("last_heartbeat_at"),
        row.string("key_hash"),
        row.string("previous_key_hash"),
        row.instant("previous_key_expires_at"),
        row.instant("revoked_at"),
        row.instant("decommissioned_at"),
        row.longValue("commands_completed"),
        row.longValue("commands_failed"),
        row.instant("enrolled_at"),
        token == null ? null : EnrollmentTokenId.of(token),
        row.json("metadata"),
        row.json("inventory"));
  }
}
