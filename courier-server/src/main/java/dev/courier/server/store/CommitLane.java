package dev.courier.server.store;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One queue of transactions that share commits ({@link CommitBatch}): a fair lock they take in
 * turn, and the batch that is open on it. SQLite has one lane for every write transaction (its
 * write lock); PostgreSQL has one per audit chain for the requests that may share a commit there.
 */
final class CommitLane {

  final ReentrantLock lock;

  /** The batch waiting for more members or its commit; guarded by {@link #lock}. */
  CommitBatch open;

  CommitLane(ReentrantLock lock) {
    if (!lock.isFair()) {
      throw new IllegalArgumentException("a commit lane's lock must be fair");
    }
    this.lock = lock;
  }
}
