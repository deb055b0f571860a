package dev.courier.server.store;

import dev.courier.server.common.Transactions;
import dev.courier.server.events.Event;
import dev.courier.server.events.EventFilter;
import dev.courier.server.events.EventOutbox;
import dev.courier.server.events.EventPage;
import dev.courier.server.tenant.TenantId;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The outbox table. On PostgreSQL, sequence numbers are taken at insert but become visible at
 * commit, so a reader polling "after N" can pass over a slower transaction's lower number; readers
 * that must see every event have to re-read a short window behind their position.
 */
final class JdbcEventOutbox implements EventOutbox {

  /**
   * A filtered read looks at this many sequence numbers at most: counting the visible ones (to tell
   * a complete range from one with holes) stays cheap, and a long replay goes in bounded steps.
   */
  static final int SCAN = 5_000;

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

  @Override
  public EventPage readAfter(long afterSeq, EventFilter filter, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    long windowEnd = afterSeq > Long.MAX_VALUE - SCAN ? Long.MAX_VALUE : afterSeq + SCAN;
    List<Jdbc.Binding> conditions = new ArrayList<>();
    String matches = conditions(filter, conditions);
    // One statement, so the count of visible rows and the matching rows come from one snapshot:
    // a row committed in between could otherwise be counted yet not read.
    List<Scanned> rows =
        jdbc.query(
            "SELECT w.visible_count, w.top_seq, w.next_seq, e.*"
                + " FROM (SELECT COUNT(*) AS visible_count, MAX(seq) AS top_seq,"
                + " (SELECT MIN(seq) FROM events WHERE seq > ?) AS next_seq"
                + " FROM events WHERE seq > ? AND seq <= ?) w"
                + " LEFT JOIN (SELECT * FROM events WHERE seq > ? AND seq <= ?"
                + matches
                + " ORDER BY seq LIMIT ?) e ON 1 = 1"
                + " ORDER BY e.seq",
            p -> {
              p.longValue(windowEnd).longValue(afterSeq).longValue(windowEnd);
              p.longValue(afterSeq).longValue(windowEnd);
              for (Jdbc.Binding condition : conditions) {
                condition.bind(p);
              }
              p.integer(limit);
            },
            JdbcEventOutbox::scanned);
    Scanned window = rows.getFirst();
    List<Event> events = rows.stream().map(Scanned::event).filter(Objects::nonNull).toList();
    if (events.size() == limit) {
      // Numbers are handed out in order, so the window being whole up to its highest visible
      // number makes the part read so far whole too; otherwise the holes may lie in that part.
      return new EventPage(
          events, events.getLast().seq(), window.visible() == window.top() - afterSeq, true);
    }
    if (window.next() != null) {
      // An event beyond the window is visible, so every number in the window was handed out
      // before it: each one is in the count, or a hole.
      return new EventPage(events, windowEnd, window.visible() == windowEnd - afterSeq, true);
    }
    long top = window.top() == null ? afterSeq : window.top();
    return new EventPage(events, top, window.visible() == top - afterSeq, false);
  }

  /**
   * The filter as SQL conditions, each starting with {@code AND}; adds their bindings in order. An
   * event is about an agent (command, rollout) when its type is of that kind and its subject is the
   * id, or when its payload's {@code agent_id} ({@code command_id}, {@code rollout_id}) is.
   */
  private String conditions(EventFilter filter, List<Jdbc.Binding> bindings) {
    StringBuilder sql = new StringBuilder();
    if (filter.tenant() != null) {
      sql.append(" AND tenant_id = ?");
      bindings.add(p -> p.string(filter.tenant().value()));
    }
    if (filter.types() != null) {
      List<String> alternatives = new ArrayList<>();
      for (String pattern : new TreeSet<>(filter.types())) {
        if (EventFilter.isPrefix(pattern)) {
          String prefix = EventFilter.prefixOf(pattern);
          alternatives.add("substr(type, 1, ?) = ?");
          bindings.add(p -> p.integer(prefix.length()).string(prefix));
        } else {
          alternatives.add("type = ?");
          bindings.add(p -> p.string(pattern));
        }
      }
      sql.append(" AND (").append(String.join(" OR ", alternatives)).append(")");
    }
    about(sql, bindings, "agent", filter.agentId());
    about(sql, bindings, "command", filter.commandId());
    about(sql, bindings, "rollout", filter.rolloutId());
    return sql.toString();
  }

  private void about(StringBuilder sql, List<Jdbc.Binding> bindings, String kind, String id) {
    if (id == null) {
      return;
    }
    String typePrefix = kind + ".";
    sql.append(" AND CASE WHEN substr(type, 1, ")
        .append(typePrefix.length())
        .append(") = '")
        .append(typePrefix)
        .append("' THEN subject_id ELSE ")
        .append(jdbc.dialect().jsonTextField("payload"))
        .append(" END = ?");
    bindings.add(p -> p.string(kind + "_id").string(id));
  }

  /** One row of a filtered read: the window's figures, and a matching event or none. */
  private record Scanned(long visible, Long top, Long next, Event event) {}

  private static Scanned scanned(Row row) throws SQLException {
    return new Scanned(
        row.longValue("visible_count"),
        row.longValue("top_seq"),
        row.longValue("next_seq"),
        row.longValue("seq") == null ? null : map(row));
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
