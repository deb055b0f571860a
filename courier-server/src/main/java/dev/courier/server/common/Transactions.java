package dev.courier.server.common;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs work in one database transaction. Repository calls made by the work, on the same thread,
 * join that transaction; a nested call runs in a savepoint of the outer one, so its failure undoes
 * only its own writes. Outside a transaction each repository call commits on its own.
 */
public interface Transactions {

  /**
   * Runs {@code work} and commits; rolls back and rethrows if it throws.
   *
   * @return what {@code work} returned
   */
  <T> T inTransaction(Supplier<T> work);

  /** Same as {@link #inTransaction(Supplier)} for work that returns nothing. */
  default void inTransaction(Runnable work) {
    inTransaction(
        () -> {
          work.run();
          return null;
        });
  }

  /**
   * Like {@link #inTransaction(Supplier)}, but the transaction may commit together with other
   * threads' transactions of the same {@code lane}: they run one after another, each in a
   * savepoint, and the last of a burst commits for all; each call still returns only once its
   * writes are committed. Only for work that inserts new rows and appends to the lane's one
   * contended row (an audit chain's head), so that its writes held uncommitted while the next
   * member runs cannot block what anyone else needs.
   */
  default <T> T inSharedTransaction(String lane, Supplier<T> work) {
    return inTransaction(work);
  }

  /**
   * Runs {@code task} once the outermost transaction on this thread has committed, or at once when
   * none is open. Dropped if that transaction rolls back. For what must not be seen before the
   * change is durable: a push to an agent, closing a revoked agent's socket, waiting for a result.
   */
  void afterCommit(Runnable task);

  /**
   * An object that lives as long as the outermost transaction open on this thread: created by
   * {@code create} on first use, handed to {@code beforeCommit} just before that transaction
   * commits (inside it), dropped if it rolls back. Lets many small changes of one transaction be
   * written once at its end. Null when there is no transaction, or no support for it: the caller
   * then writes at once.
   */
  default <T> T perTransaction(Object key, Supplier<T> create, Consumer<T> beforeCommit) {
    return null;
  }

  /** Whether a transaction is open on this thread. */
  default boolean inProgress() {
    return false;
  }

  /**
   * Runs {@code work} as part of the transaction open on this thread, without a savepoint of its
   * own, or in a transaction of its own when none is open. Only for work whose failure no caller
   * survives: the failure ends the enclosing transaction, which rolls back as a whole, so a
   * savepoint would guard nothing and cost two round trips on PostgreSQL.
   */
  default <T> T joining(Supplier<T> work) {
    return inProgress() ? work.get() : inTransaction(work);
  }
}
