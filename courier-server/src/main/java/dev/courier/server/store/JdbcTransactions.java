package dev.courier.server.store;

import dev.courier.server.common.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Binds one connection to the current thread for the length of a transaction, so repository calls
 * inside the work join it without passing JDBC types through the domain.
 */
final class JdbcTransactions implements Transactions {
  private final DataSource dataSource;
  private final Dialect dialect;
  private final ThreadLocal<Connection> bound = new ThreadLocal<>();

  JdbcTransactions(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    if (bound.get() != null) {
      return work.get();
    }
    Lock writeLock = dialect.writeLock();
    writeLock.lock();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      bound.set(connection);
      try {
        T result = work.get();
        connection.commit();
        return result;
      } catch (RuntimeException | Error e) {
        rollback(connection, e);
        throw e;
      } finally {
        // Hikari restores auto-commit when the connection goes back to the pool.
        bound.remove();
      }
    } catch (SQLException e) {
      throw dialect.translate("transaction", e);
    } finally {
      writeLock.unlock();
    }
  }

  /** The connection of the transaction running on this thread, or null outside one. */
  Connection current() {
    return bound.get();
  }

  private static void rollback(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
