package dev.courier.server.common;

import java.util.function.Supplier;

/**
 * Runs work in one database transaction. Repository calls made by the work, on the same thread,
 * join that transaction; a nested call joins the outer one. Outside a transaction each repository
 * call commits on its own.
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
}
