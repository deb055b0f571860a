package dev.courier.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps prepared statements per physical connection, for a driver that prepares anew each time a
 * statement is created (sqlite-jdbc: parsing and planning cost about as much as running a short
 * statement, and the group commit's writer runs thousands a second). A statement is borrowed for
 * one use and given back; a nested use of the same SQL meanwhile gets a fresh one. Statements of a
 * connection the pool closed are dropped at the next sweep.
 */
final class StatementCache {

  /** Distinct statements kept per connection; the least recently used beyond it are closed. */
  private static final int PER_CONNECTION = 128;

  /** Borrows between two sweeps for closed connections. */
  private static final long SWEEP_EVERY = 4096;

  private final Map<Connection, Map<String, PreparedStatement>> byConnection =
      new ConcurrentHashMap<>();
  private final AtomicLong borrows = new AtomicLong();

  /** A statement for {@code sql} on {@code pooled}'s physical connection, bound to nothing yet. */
  PreparedStatement borrow(Connection pooled, String sql) throws SQLException {
    if (borrows.incrementAndGet() % SWEEP_EVERY == 0) {
      dropClosedConnections();
    }
    Connection physical = pooled.unwrap(Connection.class);
    Map<String, PreparedStatement> statements =
        byConnection.computeIfAbsent(physical, connection -> lruMap());
    PreparedStatement kept = statements.remove(sql);
    return kept != null ? kept : physical.prepareStatement(sql);
  }

  /**
   * Takes the statement back after a use that completed; after a failure its state is unknown and
   * it is closed instead.
   */
  void giveBack(Connection pooled, String sql, PreparedStatement statement, boolean completed)
      throws SQLException {
    Connection physical = pooled.unwrap(Connection.class);
    Map<String, PreparedStatement> statements = byConnection.get(physical);
    if (!completed || statements == null || physical.isClosed()) {
      statement.close();
      return;
    }
    statement.clearParameters();
    PreparedStatement other = statements.putIfAbsent(sql, statement);
    if (other != null) {
      statement.close();
    }
  }

  private void dropClosedConnections() {
    Iterator<Map.Entry<Connection, Map<String, PreparedStatement>>> entries =
        byConnection.entrySet().iterator();
    while (entries.hasNext()) {
      try {
        if (entries.next().getKey().isClosed()) {
          entries.remove();
        }
      } catch (SQLException e) {
        entries.remove();
      }
    }
  }

  private static Map<String, PreparedStatement> lruMap() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
        if (size() <= PER_CONNECTION) {
          return false;
        }
        try {
          eldest.getValue().close();
        } catch (SQLException e) {
          // Closing a statement we no longer keep: nothing depends on it.
        }
        return true;
      }
    };
  }
}
