package dev.courier.server.store;

import dev.courier.server.common.Transactions;
import dev.courier.server.events.Event;
import dev.courier.server.events.EventOutbox;
import dev.courier.server.tenant.TenantId;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The outbox table. On PostgreSQL, sequence numbers are taken at insert but become visible at
 * commit, so a reader polling "after N" can pass over a slower transaction's lower number; readers
 * that must see every event have to re-read a short window behind their position.
 */
final class JdbcEventOutbox implements EventOutbox {
  private final Jdbc jdbc;
  private final Transactions transactions;
  private final Set<Runnable> listeners = new CopyOnWriteArraySet<>();

  JdbcEventOutbox(Jdbc jdbc, Transactions transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  @Override
  public long latestSeq() {
    return jdbc.queryOne(
            "SELECT COALESCE(MAX(seq), 0) AS seq FROM events", p -> {}, row -> row.longValue("seq"))
        .orElse(0L);
  }

  @Override
  public AutoCloseable onAppended(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Wakes the listeners once the appending transaction commits (at once outside one). */
  private void signalAfterCommit() {
    if (!listeners.isEmpty()) {
      transactions.afterCommit(() -> listeners.forEach(Runnable::run));
    }
  }

  @Override
  public long append(Event event) {
    long seq =
        jdbc.updateReturning(
                "INSERT INTO events (tenant_id, type, subject_id, payload, created_at)"
                    + " VALUES (?, ?, ?, ?, ?) RETURNING seq",
                p ->
                    p.string(event.tenantId() == null ? null : event.tenantId().value())
                        .string(event.type())
                        .string(event.subjectId())
                        .json(event.payloadJson())
                        .instant(event.createdAt()),
                row -> row.longValue("seq"))
            .getFirst();
    signalAfterCommit();
    return seq;
  }

  @Override
  public void appendAll(List<Event> batch) {
    if (batch.isEmpty()) {
      return;
    }
    jdbc.batch(
        "INSERT INTO events (tenant_id, type, subject_id, payload, created_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        batch,
        (p, event) ->
            p.string(event.tenantId() == null ? null : event.tenantId().value())
                .string(event.type())
                .string(event.subjectId())
                .json(event.payloadJson())
                .instant(event.createdAt()));
    signalAfterCommit();
  }

  @Override
  public List<Event> readAfter(long afterSeq, int limit) {
    return jdbc.query(
        "SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
        p -> p.longValue(afterSeq).integer(limit),
        JdbcEventOutbox::map);
  }

  private static Event map(Row row) throws SQLException {
    String tenant = row.string("tenant_id");
    return new Event(
        row.longValue("seq"),
        tenant == null ? null : TenantId.of(tenant),
        row.string("type"),
        row.string("subject_id"),
        row.json("payload"),
        row.instant("created_at"));
  }
}
