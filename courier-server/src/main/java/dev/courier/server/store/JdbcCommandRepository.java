package dev.courier.server.store;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.server.command.Command;
import dev.courier.server.command.CommandQuery;
import dev.courier.server.command.CommandRepository;
import dev.courier.server.command.CommandResult;
import dev.courier.server.command.MovedCommand;
import dev.courier.server.command.SettledCommand;
import dev.courier.server.common.Cursor;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.tenant.TenantId;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

final class JdbcCommandRepository implements CommandRepository {
  private static final String INSERT =
      "INSERT INTO commands (id, tenant_id, agent_id, rollout_id, schedule_id, type, params,"
          + " priority_rank, status, attempt, timeout_seconds, idempotency_key, request_hash,"
          + " requested_by, created_at, accepted_at, started_at, completed_at, expires_at,"
          + " updated_at, result_status, exit_code, duration_ms, summary, findings_count,"
          + " metadata, output, output_truncated, error)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " ?, ?, ?, ?)";

  // The order the claim index serves; also re-applied in Java because RETURNING has no order.
  private static final String DELIVERY_ORDER = " ORDER BY priority_rank DESC, created_at, id";
  private static final Comparator<Command> BY_DELIVERY_ORDER =
      Comparator.comparingInt((Command c) -> -c.priority().rank())
          .thenComparing(Command::createdAt)
          .thenComparing(c -> c.id().value());
  private static final String PENDING_OF_AGENT =
      "SELECT %s FROM commands WHERE agent_id = ? AND status = 'pending'"
          + " AND (expires_at IS NULL OR expires_at > ?)"
          + DELIVERY_ORDER
          + " LIMIT ?";

  private static final String CANCELLING =
      "SELECT * FROM commands WHERE status = 'cancelling' ORDER BY accepted_at, id LIMIT ?";

  private static final String CANCELLING_OF_AGENT =
      "SELECT * FROM commands WHERE status = 'cancelling' AND agent_id = ?"
          + " ORDER BY accepted_at, id LIMIT ?";

  /**
   * Agents asked about in one query. Every query has this many placeholders, the unused ones bound
   * to an agent already asked about, so the statement cache holds one statement, not one per size.
   */
  static final int AGENTS_PER_QUERY = 100;

  private static final String STALE_PENDING_OF_AGENTS =
      "SELECT DISTINCT agent_id FROM commands WHERE status = 'pending' AND agent_id IN ("
          + String.join(", ", Collections.nCopies(AGENTS_PER_QUERY, "?"))
          + ") AND created_at < ? AND (expires_at IS NULL OR expires_at > ?)";

  private final Jdbc jdbc;

  JdbcCommandRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(Command command) {
    jdbc.update(INSERT, p -> CommandRows.bindInsert(p, command));
  }

  @Override
  public void insertAll(List<Command> commands) {
    if (!commands.isEmpty()) {
      jdbc.batch(INSERT, commands, CommandRows::bindInsert);
    }
  }

  @Override
  public List<Command> unfinishedInRollout(String rolloutId, int limit) {
    return jdbc.query(
        "SELECT * FROM commands WHERE rollout_id = ?"
            + " AND status IN ('pending', 'accepted', 'running') ORDER BY created_at, id LIMIT ?",
        p -> p.string(rolloutId).integer(limit),
        CommandRows::map);
  }

  @Override
  public List<Command> findCancelling(AgentId agentId, int limit) {
    // The in-flight index holds the (few, short-lived) cancelling commands by acceptance.
    if (agentId == null) {
      return jdbc.query(CANCELLING, p -> p.integer(limit), CommandRows::map);
    }
    return jdbc.query(
        CANCELLING_OF_AGENT, p -> p.string(agentId.value()).integer(limit), CommandRows::map);
  }

  @Override
  public Optional<Command> find(CommandId id) {
    return jdbc.queryOne(
        "SELECT * FROM commands WHERE id = ?", p -> p.string(id.value()), CommandRows::map);
  }

  @Override
  public Optional<Command> find(TenantId tenantId, CommandId id) {
    return jdbc.queryOne(
        "SELECT * FROM commands WHERE id = ? AND tenant_id = ?",
        p -> p.string(id.value()).string(tenantId.value()),
        CommandRows::map);
  }

  @Override
  public Optional<Command> findByIdempotencyKey(TenantId tenantId, String idempotencyKey) {
    return jdbc.queryOne(
        "SELECT * FROM commands WHERE tenant_id = ? AND idempotency_key = ?",
        p -> p.string(tenantId.value()).string(idempotencyKey),
        CommandRows::map);
  }

  @Override
  public List<Command> claimPending(AgentId agentId, int limit, Instant now) {
    // MATERIALIZED: PostgreSQL may otherwise re-run an IN (... LIMIT n) subquery per outer row
    // and claim more than n (seen in the contract test). SQLite accepts the same syntax.
    String sql =
        "WITH claim AS MATERIALIZED ("
            + PENDING_OF_AGENT.formatted("id")
            + jdbc.dialect().skipLockedClause()
            + ") UPDATE commands SET status = 'accepted', accepted_at = ?, updated_at = ?,"
            + " attempt = attempt + 1"
            + " WHERE status = 'pending' AND id IN (SELECT id FROM claim) RETURNING *";
    List<Command> claimed =
        jdbc.updateReturning(
            sql,
            p -> p.string(agentId.value()).instant(now).integer(limit).instant(now).instant(now),
            CommandRows::map);
    return claimed.stream().sorted(BY_DELIVERY_ORDER).toList();
  }

  @Override
  public List<Command> findPending(AgentId agentId, int limit, Instant now) {
    return jdbc.query(
        PENDING_OF_AGENT.formatted("*"),
        p -> p.string(agentId.value()).instant(now).integer(limit),
        CommandRows::map);
  }

  @Override
  public Set<AgentId> withPendingCreatedBefore(
      Collection<AgentId> agents, Instant createdBefore, Instant now) {
    List<AgentId> all = List.copyOf(agents);
    Set<AgentId> found = new HashSet<>();
    for (int from = 0; from < all.size(); from += AGENTS_PER_QUERY) {
      List<AgentId> chunk = all.subList(from, Math.min(all.size(), from + AGENTS_PER_QUERY));
      found.addAll(
          jdbc.query(
              STALE_PENDING_OF_AGENTS,
              p -> {
                for (int i = 0; i < AGENTS_PER_QUERY; i++) {
                  p.string(chunk.get(Math.min(i, chunk.size() - 1)).value());
                }
                p.instant(createdBefore).instant(now);
              },
              row -> AgentId.of(row.string("agent_id"))));
    }
    return found;
  }

  @Override
  public Optional<MovedCommand> move(
      CommandId id,
      AgentId addressedTo,
      Set<CommandStatus> allowedFrom,
      CommandStatus to,
      Instant at,
      CommandResult result,
      String error) {
    if (allowedFrom.isEmpty()) {
      return Optional.empty();
    }
    CommandTransitionSql statement =
        CommandTransitionSql.of(addressedTo, allowedFrom, to, result, error);
    List<MovedCommand> moved =
        jdbc.updateReturning(
            statement.sql(), p -> statement.bind(p, id, at), JdbcCommandRepository::moved);
    return moved.stream().findFirst();
  }

  @Override
  public Optional<MovedCommand> lockForMove(CommandId id) {
    return jdbc.queryOne(
        "SELECT id, tenant_id, agent_id, type, rollout_id, status AS previous_status"
            + " FROM commands WHERE id = ?"
            + jdbc.dialect().forUpdateClause(),
        p -> p.string(id.value()),
        JdbcCommandRepository::moved);
  }

  @Override
  public List<CommandId> settle(List<SettledCommand> settled) {
    Map<String, List<SettledCommand>> byStatement = new LinkedHashMap<>();
    for (SettledCommand command : settled) {
      byStatement
          .computeIfAbsent(CommandSettleSql.sqlFor(command), sql -> new ArrayList<>())
          .add(command);
    }
    List<CommandId> movedMeanwhile = new ArrayList<>();
    byStatement.forEach(
        (sql, commands) -> {
          int[] changed = jdbc.batch(sql, commands, CommandSettleSql::bind);
          for (int i = 0; i < changed.length; i++) {
            if (changed[i] == 0 && commands.get(i).expected() != null) {
              movedMeanwhile.add(commands.get(i).id());
            }
          }
        });
    return movedMeanwhile;
  }

  private static MovedCommand moved(Row row) throws SQLException {
    return new MovedCommand(
        CommandId.of(row.string("id")),
        TenantId.of(row.string("tenant_id")),
        AgentId.of(row.string("agent_id")),
        row.string("type"),
        row.string("rollout_id"),
        CommandStatus.fromWire(row.string("previous_status")));
  }

  @Override
  public Page<Command> list(CommandQuery q, PageRequest page) {
    return new Keyset("created_at")
        .whereIfPresent(q.tenantId(), "tenant_id = ?", p -> p.string(q.tenantId().value()))
        .whereIfPresent(q.agentId(), "agent_id = ?", p -> p.string(q.agentId().value()))
        .whereIfPresent(q.status(), "status = ?", p -> p.string(q.status().wireName()))
        .whereIfPresent(q.type(), "type = ?", p -> p.string(q.type()))
        .whereIfPresent(q.since(), "created_at >= ?", p -> p.instant(q.since()))
        .whereIfPresent(q.rolloutId(), "rollout_id = ?", p -> p.string(q.rolloutId()))
        .page(
            jdbc,
            "commands",
            page,
            CommandRows::map,
            c -> new Cursor(c.createdAt(), c.id().value()));
  }

  @Override
  public List<Command> findExpiredPending(Instant now, int limit) {
    return jdbc.query(
        "SELECT * FROM commands WHERE status = 'pending' AND expires_at < ?"
            + " ORDER BY expires_at LIMIT ?",
        p -> p.instant(now).integer(limit),
        CommandRows::map);
  }

  @Override
  public List<Command> findOverdueInFlight(Instant now, Duration grace, int limit) {
    String since = "COALESCE(started_at, accepted_at)";
    String deadline = jdbc.dialect().plusSeconds(since, "timeout_seconds + ?");
    return jdbc.query(
        "SELECT * FROM commands WHERE status IN ('accepted', 'running', 'cancelling') AND "
            + deadline
            + " < ? ORDER BY "
            + since
            + " LIMIT ?",
        p -> p.longValue(grace.toSeconds()).instant(now).integer(limit),
        CommandRows::map);
  }
}
