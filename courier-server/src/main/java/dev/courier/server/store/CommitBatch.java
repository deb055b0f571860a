package dev.courier.server.store;

import dev.courier.server.common.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The open transaction that several threads' transactions share, so that one COMMIT (one fsync)
 * makes all of them durable. Each joins under its {@link CommitLane}'s lock (on SQLite the write
 * lock), runs its work in a savepoint of its own, and then either commits the batch (when nobody
 * else waits for the lock, the batch is full, or the member is a group commit's batch) or leaves it
 * open for the next one and waits for that commit.
 *
 * <p>Guarded by the lane's lock, except {@link #awaitCommit}, which a member calls after releasing
 * it.
 */
final class CommitBatch {

  private final Connection connection;
  private final Dialect dialect;
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private int members;

  CommitBatch(Connection connection, Dialect dialect) throws SQLException {
    this.connection = connection;
    this.dialect = dialect;
    connection.setAutoCommit(false);
  }

  Connection connection() {
    return connection;
  }

  /** Counts a transaction whose work succeeded and now waits for the batch's commit. */
  void addMember() {
    members++;
  }

  int members() {
    return members;
  }

  /** Commits every member's writes and returns the connection to its pool. */
  void commit() {
    try {
      connection.commit();
      ended.complete(null);
    } catch (SQLException e) {
      StorageException failure = dialect.translate("commit", e);
      rollbackQuietly(failure);
      ended.completeExceptionally(failure);
      throw failure;
    } finally {
      close();
    }
  }

  /**
   * Ends the batch without committing, for a failure that left the shared transaction unusable:
   * every member waiting for the commit gets {@code failure}.
   */
  void abandon(Throwable failure) {
    rollbackQuietly(failure);
    close();
    ended.completeExceptionally(
        failure instanceof StorageException storage
            ? storage
            : new StorageException("a transaction sharing this commit failed", failure));
  }

  /** Waits until the batch committed; throws what ended it otherwise. */
  void awaitCommit() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          ended.get();
          return;
        } catch (InterruptedException e) {
          // The writes are in flight either way: wait for the outcome, and keep the interrupt.
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new StorageException("the shared commit failed", e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void rollbackQuietly(Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // Hikari evicts a connection it cannot reset; nothing of the batch depends on it any more.
    }
  }
}
