package dev.courier.server.store;

import dev.courier.server.events.Event;
import dev.courier.server.events.EventOutbox;
import dev.courier.server.tenant.TenantId;
import java.sql.SQLException;
import java.util.List;

/**
 * The outbox table. On PostgreSQL, sequence numbers are taken at insert but become visible at
 * commit, so a reader polling "after N" can pass over a slower transaction's lower number; readers
 * that must see every event have to re-read a short window behind their position.
 */
final class JdbcEventOutbox implements EventOutbox {
  private final Jdbc jdbc;

  JdbcEventOutbox(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public long append(Event event) {
    return jdbc.updateReturning(
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
