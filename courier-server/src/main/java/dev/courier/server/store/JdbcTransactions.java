package dev.courier.server.store;

import dev.courier.server.common.GroupCommit;
import dev.courier.server.common.Transactions;
import dev.courier.server.tenant.TenantConfinement;
import dev.courier.server.tenant.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Binds one connection to the current thread for the length of a transaction, so repository calls
 * inside the work join it without passing JDBC types through the domain. A nested transaction is a
 * savepoint: its failure undoes its own writes and leaves the outer transaction usable, which
 * PostgreSQL otherwise refuses after any failed statement.
 *
 * <p>Also keeps the thread's tenant confinement and hands it to the dialect for every transaction,
 * so row-level security sees the tenant the request is confined to.
 */
final class JdbcTransactions implements Transactions, TenantConfinement {
  private static final String ACROSS_TENANTS = "";

  /**
   * Most transactions in one shared commit: bounds how long the first waits while others keep
   * arriving.
   */
  private static final int MAX_SHARED_COMMIT = 64;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final ThreadLocal<Connection> bound = new ThreadLocal<>();
  private final ThreadLocal<List<Runnable>> afterCommit = new ThreadLocal<>();
  private final ThreadLocal<String> confinedTo = new ThreadLocal<>();
  private final ThreadLocal<DataSource> ownPool = new ThreadLocal<>();
  private final ThreadLocal<Map<Object, Object>> scoped = new ThreadLocal<>();
  private final ThreadLocal<List<Runnable>> beforeCommit = new ThreadLocal<>();

  /** Where every write transaction shares commits (SQLite): one lane, on the write lock. */
  private final CommitLane everyWrite;

  /** Elsewhere, the lanes of {@link #inSharedTransaction}, by name. */
  private final Map<String, CommitLane> lanes = new ConcurrentHashMap<>();

  JdbcTransactions(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    if (!dialect.sharesCommits()) {
      this.everyWrite = null;
    } else if (dialect.writeLock() instanceof ReentrantLock fair) {
      this.everyWrite = new CommitLane(fair);
    } else {
      throw new IllegalStateException("shared commits need a fair ReentrantLock as write lock");
    }
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    Connection connection = bound.get();
    if (connection != null) {
      return inSavepoint(connection, work);
    }
    return thenAfterCommit(committed -> outermost(work, committed));
  }

  /**
   * Runs an outermost transaction, which collects what is to run after its commit, and then runs
   * that.
   */
  private static <T> T thenAfterCommit(Function<List<Runnable>, T> transaction) {
    List<Runnable> committed = new ArrayList<>();
    T result = transaction.apply(committed);
    runAfterCommit(committed);
    return result;
  }

  /**
   * Runs every task, even when one fails: the others (pushes to other agents, waking waiters) are
   * owed just as much, since the change they follow is committed. The first failure is then thrown
   * to the caller, later ones attached to it.
   */
  private static void runAfterCommit(List<Runnable> tasks) {
    RuntimeException first = null;
    for (Runnable task : tasks) {
      try {
        task.run();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * On SQLite every write transaction already shares commits; elsewhere the lane's transactions
   * take turns on one connection and share theirs. Nested in a transaction, it is a savepoint.
   */
  @Override
  public <T> T inSharedTransaction(String lane, Supplier<T> work) {
    if (bound.get() != null || everyWrite != null) {
      return inTransaction(work);
    }
    CommitLane commitLane =
        lanes.computeIfAbsent(lane, name -> new CommitLane(new ReentrantLock(true)));
    return thenAfterCommit(committed -> sharedOutermost(commitLane, work, committed));
  }

  /** How many transactions wait to join the lane's open batch (for tests). */
  int waitingIn(String lane) {
    CommitLane commitLane = lanes.get(lane);
    return commitLane == null ? 0 : commitLane.lock.getQueueLength();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T perTransaction(Object key, Supplier<T> create, Consumer<T> atCommit) {
    Map<Object, Object> objects = scoped.get();
    if (objects == null) {
      return null;
    }
    Object existing = objects.get(key);
    if (existing != null) {
      return (T) existing;
    }
    T created = create.get();
    objects.put(key, created);
    beforeCommit.get().add(() -> atCommit.accept(created));
    return created;
  }

  @Override
  public boolean inProgress() {
    return bound.get() != null;
  }

  @Override
  public void afterCommit(Runnable task) {
    List<Runnable> pending = afterCommit.get();
    if (pending == null) {
      task.run();
    } else {
      pending.add(task);
    }
  }

  @Override
  public <T> T confinedTo(TenantId tenant, Supplier<T> work) {
    return withConfinement(tenant.value(), work);
  }

  @Override
  public <T> T acrossTenants(Supplier<T> work) {
    return confinedTo.get() == null ? work.get() : withConfinement(ACROSS_TENANTS, work);
  }

  /**
   * Wraps {@code body} so that the transactions it opens take their connections from {@code pool}
   * instead of the shared one: a group commit's writers must never queue behind requests for a
   * connection.
   */
  Runnable onPool(DataSource pool, Runnable body) {
    return () -> {
      ownPool.set(pool);
      try {
        body.run();
      } finally {
        ownPool.remove();
      }
    };
  }

  /** The connection of the transaction running on this thread, or null outside one. */
  Connection current() {
    return bound.get();
  }

  /** Whether statements on this thread must run inside a transaction to carry a confinement. */
  boolean confined() {
    return confinedTo.get() != null && dialect.enforcesConfinement();
  }

  private <T> T outermost(Supplier<T> work, List<Runnable> committed) {
    if (everyWrite != null) {
      return sharedOutermost(everyWrite, work, committed);
    }
    Lock writeLock = dialect.writeLock();
    writeLock.lock();
    DataSource source = ownPool.get() != null ? ownPool.get() : dataSource;
    try (Connection connection = source.getConnection()) {
      connection.setAutoCommit(false);
      try {
        // An unconfined transaction needs no reset: its connection comes fresh from the pool,
        // where Hikari restored auto-commit and the confinement was local to the last transaction.
        T result = runBound(connection, work, committed, confinedTo.get() != null);
        connection.commit();
        return result;
      } catch (RuntimeException | Error e) {
        committed.clear();
        rollback(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      throw dialect.translate("transaction", e);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * A write transaction that shares its commit with the transactions queued behind it (see {@link
   * CommitBatch}): the work runs in a savepoint of the open batch, under the write lock; then the
   * batch commits if it is full, nobody waits for the lock or it is a group commit's batch (see
   * {@link #endBatchIfLast}), else this thread waits for the commit that a later member makes.
   * Either way it returns only once its writes are committed.
   *
   * <p>The batch's first member needs no savepoint: the transaction holds nothing but its writes,
   * so a rollback of the whole undoes exactly those. On SQLite a savepoint copies every page the
   * member changes to a statement journal, and a group commit's batch (hundreds of agents' writes)
   * is nearly always a first member; on PostgreSQL it saves two round trips.
   */
  private <T> T sharedOutermost(CommitLane lane, Supplier<T> work, List<Runnable> committed) {
    CommitBatch batch;
    T result;
    boolean committedHere;
    lane.lock.lock();
    try {
      batch = openBatch(lane);
      Connection connection = batch.connection();
      Savepoint savepoint = batch.members() == 0 ? null : savepointIn(lane, batch);
      try {
        // Always (re)confined: an earlier member may have left its tenant on the shared connection.
        result = runBound(connection, work, committed, true);
        if (savepoint != null) {
          connection.releaseSavepoint(savepoint);
        }
      } catch (RuntimeException | Error e) {
        committed.clear();
        undo(lane, batch, savepoint, e);
        throw e;
      }
      batch.addMember();
      committedHere = endBatchIfLast(lane, batch, GroupCommit.inBatch());
    } catch (SQLException e) {
      throw dialect.translate("transaction", e);
    } finally {
      lane.lock.unlock();
    }
    if (!committedHere) {
      try {
        batch.awaitCommit();
      } catch (RuntimeException notCommitted) {
        committed.clear();
        throw notCommitted;
      }
    }
    return result;
  }

  private CommitBatch openBatch(CommitLane lane) throws SQLException {
    if (lane.open == null) {
      DataSource source = ownPool.get() != null ? ownPool.get() : dataSource;
      Connection connection = source.getConnection();
      try {
        lane.open = new CommitBatch(connection, dialect);
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
    }
    return lane.open;
  }

  private static Savepoint savepointIn(CommitLane lane, CommitBatch batch) throws SQLException {
    try {
      return batch.connection().setSavepoint();
    } catch (SQLException e) {
      lane.open = null;
      batch.abandon(e);
      throw e;
    }
  }

  /**
   * Runs {@code work} with {@code connection} bound to this thread, as its transaction's, then the
   * work it asked to run just before the commit.
   */
  private <T> T runBound(
      Connection connection, Supplier<T> work, List<Runnable> committed, boolean confine)
      throws SQLException {
    bound.set(connection);
    afterCommit.set(committed);
    scoped.set(new HashMap<>());
    List<Runnable> atCommit = new ArrayList<>();
    beforeCommit.set(atCommit);
    try {
      if (confine) {
        applyConfinement(connection);
      }
      T result = work.get();
      for (int i = 0; i < atCommit.size(); i++) {
        atCommit.get(i).run();
      }
      return result;
    } finally {
      bound.remove();
      afterCommit.remove();
      scoped.remove();
      beforeCommit.remove();
    }
  }

  /**
   * Undoes a failed member's writes and keeps the batch going for the others; if even that fails,
   * the batch is abandoned and its waiting members fail with it. Without a savepoint (the batch's
   * first member) the whole transaction is rolled back; the connection stays in it for the next.
   */
  private static void undo(
      CommitLane lane, CommitBatch batch, Savepoint savepoint, Throwable failure) {
    try {
      if (savepoint == null) {
        batch.connection().rollback();
      } else {
        batch.connection().rollback(savepoint);
        batch.connection().releaseSavepoint(savepoint);
      }
    } catch (SQLException | RuntimeException undoFailed) {
      failure.addSuppressed(undoFailed);
      lane.open = null;
      batch.abandon(failure);
      return;
    }
    try {
      endBatchIfLast(lane, batch, false);
    } catch (RuntimeException commitFailed) {
      failure.addSuppressed(commitFailed);
    }
  }

  /**
   * Commits the batch when it is full, when no other transaction waits to join it, or when {@code
   * commitNow}; returns whether it did. A group commit's batch commits now: it already shares its
   * commit among many agents' writes, and every one of their answers waits for its writer, which
   * must not also wait for the work of whoever queued behind it (an operator's rollout of a hundred
   * targets holds the lock for several milliseconds). An empty batch (its only members failed) is
   * ended without a commit.
   */
  private static boolean endBatchIfLast(CommitLane lane, CommitBatch batch, boolean commitNow) {
    if (!commitNow && batch.members() < MAX_SHARED_COMMIT && lane.lock.hasQueuedThreads()) {
      return false;
    }
    lane.open = null;
    if (batch.members() == 0) {
      batch.abandon(new IllegalStateException("no member left to commit"));
      return false;
    }
    batch.commit();
    return true;
  }

  private <T> T inSavepoint(Connection connection, Supplier<T> work) {
    Savepoint savepoint;
    try {
      savepoint = connection.setSavepoint();
    } catch (SQLException e) {
      throw dialect.translate("savepoint", e);
    }
    // What the savepoint's work asks to run after commit is dropped with its writes.
    List<Runnable> pending = afterCommit.get();
    int mark = pending == null ? 0 : pending.size();
    try {
      T result = work.get();
      connection.releaseSavepoint(savepoint);
      return result;
    } catch (RuntimeException | Error e) {
      try {
        connection.rollback(savepoint);
      } catch (SQLException rollbackFailed) {
        e.addSuppressed(rollbackFailed);
      }
      if (pending != null && pending.size() > mark) {
        pending.subList(mark, pending.size()).clear();
      }
      throw e;
    } catch (SQLException e) {
      throw dialect.translate("release savepoint", e);
    }
  }

  private <T> T withConfinement(String tenant, Supplier<T> work) {
    String previous = confinedTo.get();
    confinedTo.set(tenant);
    try {
      applyIfBound();
      return work.get();
    } finally {
      if (previous == null) {
        confinedTo.remove();
      } else {
        confinedTo.set(previous);
      }
      applyIfBound();
    }
  }

  private void applyIfBound() {
    Connection connection = bound.get();
    if (connection != null) {
      try {
        applyConfinement(connection);
      } catch (SQLException e) {
        throw dialect.translate("confine to tenant", e);
      }
    }
  }

  private void applyConfinement(Connection connection) throws SQLException {
    String tenant = confinedTo.get();
    dialect.confine(connection, tenant == null ? ACROSS_TENANTS : tenant);
  }

  private static void rollback(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
