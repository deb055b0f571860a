package dev.courier.server.store;

import dev.courier.server.audit.AuditChain;
import dev.courier.server.audit.AuditEntry;
import dev.courier.server.audit.AuditOutcome;
import dev.courier.server.audit.AuditQuery;
import dev.courier.server.audit.AuditRecord;
import dev.courier.server.audit.AuditRepository;
import dev.courier.server.audit.ChainHead;
import dev.courier.server.common.Cursor;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.tenant.TenantId;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The audit_log and audit_heads tables. Records are never updated or deleted here. */
final class JdbcAuditRepository implements AuditRepository {
  private final Jdbc jdbc;

  JdbcAuditRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public ChainHead lockHead(String chain) {
    // A chain's head exists from its first record on: insert it only when the lock finds none,
    // instead of a round trip on every record. Racing first records both insert, one of them wins
    // and both then lock the same row, as before.
    Optional<ChainHead> existing = lockExistingHead(chain);
    if (existing.isPresent()) {
      return existing.get();
    }
    jdbc.update(
        "INSERT INTO audit_heads (chain, last_seq, last_hash, records) VALUES (?, 0, ?, 0)"
            + " ON CONFLICT (chain) DO NOTHING",
        p -> p.string(chain).string(AuditChain.GENESIS));
    return lockExistingHead(chain)
        .orElseThrow(() -> new IllegalStateException("the audit head just written is gone"));
  }

  private Optional<ChainHead> lockExistingHead(String chain) {
    return jdbc.queryOne(
        "SELECT * FROM audit_heads WHERE chain = ?" + jdbc.dialect().forUpdateClause(),
        p -> p.string(chain),
        JdbcAuditRepository::head);
  }

  @Override
  public long insert(AuditEntry entry, String prevHash, String hash) {
    return jdbc.updateReturning(
            "INSERT INTO audit_log (occurred_at, tenant_id, actor, action, target, outcome,"
                + " source_ip, request_id, details, prev_hash, hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
            p ->
                p.instant(entry.occurredAt())
                    .string(entry.tenantId() == null ? null : entry.tenantId().value())
                    .string(entry.actor())
                    .string(entry.action())
                    .string(entry.target())
                    .string(entry.outcome().wireName())
                    .string(entry.sourceAddress())
                    .string(entry.requestId())
                    .json(Json.write(entry.details()))
                    .string(prevHash)
                    .string(hash),
            row -> row.longValue("seq"))
        .getFirst();
  }

  @Override
  public void advanceHead(String chain, long seq, String hash) {
    jdbc.update(
        "UPDATE audit_heads SET last_seq = ?, last_hash = ?, records = records + 1"
            + " WHERE chain = ?",
        p -> p.longValue(seq).string(hash).string(chain));
  }

  @Override
  public Page<AuditRecord> list(AuditQuery query, PageRequest page) {
    List<String> conditions = new ArrayList<>();
    List<Jdbc.Binding> bindings = new ArrayList<>();
    if (query.tenantId() != null) {
      conditions.add("tenant_id = ?");
      bindings.add(p -> p.string(query.tenantId().value()));
    }
    addIfPresent(conditions, bindings, "actor = ?", query.actor());
    addIfPresent(conditions, bindings, "action = ?", query.action());
    addIfPresent(
        conditions,
        bindings,
        "outcome = ?",
        query.outcome() == null ? null : query.outcome().wireName());
    addIfPresent(conditions, bindings, "target = ?", query.target());
    addIfPresent(conditions, bindings, "request_id = ?", query.requestId());
    if (query.from() != null) {
      conditions.add("occurred_at >= ?");
      bindings.add(p -> p.instant(query.from()));
    }
    if (query.to() != null) {
      conditions.add("occurred_at < ?");
      bindings.add(p -> p.instant(query.to()));
    }
    if (page.cursor() != null) {
      long before = seqOf(page.cursor());
      conditions.add("seq < ?");
      bindings.add(p -> p.longValue(before));
    }
    String sql =
        "SELECT * FROM audit_log"
            + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
            + " ORDER BY seq DESC LIMIT ?";
    List<AuditRecord> rows =
        jdbc.query(
            sql,
            p -> {
              for (Jdbc.Binding binding : bindings) {
                binding.bind(p);
              }
              p.integer(page.limit() + 1);
            },
            JdbcAuditRepository::record);
    if (rows.size() <= page.limit()) {
      return new Page<>(rows, Optional.empty());
    }
    List<AuditRecord> items = rows.subList(0, page.limit());
    AuditRecord last = items.getLast();
    return new Page<>(
        items,
        Optional.of(new Cursor(last.entry().occurredAt(), Long.toString(last.seq())).encode()));
  }

  @Override
  public List<AuditRecord> chainAfter(String chain, long afterSeq, int limit) {
    String tenantCondition =
        AuditChain.NO_TENANT_CHAIN.equals(chain) ? "tenant_id IS NULL" : "tenant_id = ?";
    return jdbc.query(
        "SELECT * FROM audit_log WHERE " + tenantCondition + " AND seq > ? ORDER BY seq LIMIT ?",
        p -> {
          if (!AuditChain.NO_TENANT_CHAIN.equals(chain)) {
            p.string(chain);
          }
          p.longValue(afterSeq).integer(limit);
        },
        JdbcAuditRepository::record);
  }

  @Override
  public Optional<ChainHead> head(String chain) {
    return jdbc.queryOne(
        "SELECT * FROM audit_heads WHERE chain = ?",
        p -> p.string(chain),
        JdbcAuditRepository::head);
  }

  @Override
  public List<String> chains() {
    return jdbc.query(
        "SELECT chain FROM audit_heads UNION SELECT DISTINCT COALESCE(tenant_id, '') FROM audit_log"
            + " ORDER BY 1",
        row -> row.string("chain"));
  }

  private static void addIfPresent(
      List<String> conditions, List<Jdbc.Binding> bindings, String condition, String value) {
    if (value != null) {
      conditions.add(condition);
      bindings.add(p -> p.string(value));
    }
  }

  private static long seqOf(String cursor) {
    try {
      return Long.parseLong(Cursor.decode(cursor).id());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "cursor must be a next_cursor value this server returned", "cursor");
    }
  }

  private static ChainHead head(Row row) throws SQLException {
    return new ChainHead(
        row.string("chain"),
        row.longValue("last_seq"),
        row.string("last_hash"),
        row.longValue("records"));
  }

  private static AuditRecord record(Row row) throws SQLException {
    String tenant = row.string("tenant_id");
    AuditEntry entry =
        new AuditEntry(
            row.instant("occurred_at"),
            tenant == null ? null : TenantId.of(tenant),
            row.string("actor"),
            row.string("action"),
            row.string("target"),
            AuditOutcome.fromWire(row.string("outcome")),
            row.string("source_ip"),
            row.string("request_id"),
            Json.stringMap(row.json("details")));
    return new AuditRecord(
        row.longValue("seq"), entry, row.string("prev_hash"), row.string("hash"));
  }
}
