package dev.courier.server.store;

import dev.courier.server.common.GroupCommit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import javax.sql.DataSource;

/**
 * Runs statements on the current transaction's connection, or on a pooled auto-commit connection
 * outside one. Writes outside a transaction still take the dialect's write lock.
 */
final class Jdbc {

  @FunctionalInterface
  interface Binding {
    void bind(Params params) throws SQLException;
  }

  @FunctionalInterface
  interface ItemBinding<T> {
    void bind(Params params, T item) throws SQLException;
  }

  @FunctionalInterface
  interface Mapper<T> {
    T map(Row row) throws SQLException;
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private static final Binding NO_PARAMS = params -> {};

  private final DataSource dataSource;
  private final Dialect dialect;
  private final JdbcTransactions transactions;
  private final StatementCache statements;

  Jdbc(DataSource dataSource, Dialect dialect, JdbcTransactions transactions) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.transactions = transactions;
    this.statements = dialect.cachesStatements() ? new StatementCache() : null;
  }

  Dialect dialect() {
    return dialect;
  }

  <T> List<T> query(String sql, Binding binding, Mapper<T> mapper) {
    return run(sql, false, connection -> select(connection, sql, binding, mapper));
  }

  <T> List<T> query(String sql, Mapper<T> mapper) {
    return query(sql, NO_PARAMS, mapper);
  }

  <T> Optional<T> queryOne(String sql, Binding binding, Mapper<T> mapper) {
    return query(sql, binding, mapper).stream().findFirst();
  }

  /** A write whose RETURNING clause produces rows. */
  <T> List<T> updateReturning(String sql, Binding binding, Mapper<T> mapper) {
    return run(sql, true, connection -> select(connection, sql, binding, mapper));
  }

  /**
   * @return the number of rows changed
   */
  int update(String sql, Binding binding) {
    return run(
        sql,
        true,
        connection ->
            withStatement(
                connection,
                sql,
                statement -> {
                  binding.bind(new Params(statement, dialect));
                  return statement.executeUpdate();
                }));
  }

  /**
   * Runs one statement for each item, as a single batch in one transaction (the group commit's
   * batch, when in one: see {@link GroupCommit#atomically}).
   *
   * @return the rows each item's statement changed, in the items' order
   */
  <T> int[] batch(String sql, List<T> items, ItemBinding<T> binding) {
    return GroupCommit.atomically(
        transactions,
        () ->
            run(
                sql,
                true,
                connection ->
                    withStatement(
                        connection,
                        sql,
                        statement -> {
                          for (T item : items) {
                            binding.bind(new Params(statement, dialect), item);
                            statement.addBatch();
                          }
                          return statement.executeBatch();
                        })));
  }

  private <T> List<T> select(Connection connection, String sql, Binding binding, Mapper<T> mapper)
      throws SQLException {
    return withStatement(
        connection,
        sql,
        statement -> {
          binding.bind(new Params(statement, dialect));
          try (ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            Row row = new Row(rows, dialect);
            while (rows.next()) {
              result.add(mapper.map(row));
            }
            return result;
          }
        });
  }

  @FunctionalInterface
  private interface StatementWork<T> {
    T run(PreparedStatement statement) throws SQLException;
  }

  /** Runs {@code work} on a statement for {@code sql}: a kept one where the dialect keeps them. */
  private <T> T withStatement(Connection connection, String sql, StatementWork<T> work)
      throws SQLException {
    if (statements == null) {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        return work.run(statement);
      }
    }
    PreparedStatement statement = statements.borrow(connection, sql);
    boolean completed = false;
    try {
      T result = work.run(statement);
      completed = true;
      return result;
    } finally {
      statements.giveBack(connection, sql, statement, completed);
    }
  }

  private <T> T run(String sql, boolean write, Work<T> work) {
    try {
      Connection current = transactions.current();
      if (current != null) {
        return work.run(current);
      }
      if (transactions.confined() || (write && dialect.sharesCommits())) {
        // A confinement lives in a transaction; a lone statement gets one of its own. So does a
        // lone write where transactions share commits: the open batch holds the database's write
        // lock until it commits, and a statement on another connection would wait for it.
        return transactions.inTransaction(() -> run(sql, write, work));
      }
      Lock writeLock = write ? dialect.writeLock() : null;
      if (writeLock != null) {
        writeLock.lock();
      }
      try (Connection connection = dataSource.getConnection()) {
        return work.run(connection);
      } finally {
        if (writeLock != null) {
          writeLock.unlock();
        }
      }
    } catch (SQLException e) {
      throw dialect.translate(firstWords(sql), e);
    }
  }

  private static String firstWords(String sql) {
    String flat = sql.strip().replaceAll("\\s+", " ");
    return flat.length() <= 60 ? flat : flat.substring(0, 60) + "...";
  }
}
