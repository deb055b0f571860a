package dev.courier.server.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: many small writes (agents' acknowledgements, status changes, results, heartbeats)
 * run by a few writer threads, each draining up to {@code maxBatch} waiting items into ONE
 * transaction, so a commit (an fsync) is paid per batch instead of per item.
 *
 * <p>An item that ends with an expected refusal ({@code keepsWrites}, such as a conflict after an
 * expiry was recorded) keeps its writes, exactly as when it committed on its own. An item that
 * fails with anything else (a storage error) rolls the whole batch back, and every item of the
 * batch is then run again in a transaction of its own, so that failure stays its item's alone; the
 * same when the batch cannot commit. (No savepoint per item: on PostgreSQL each costs two round
 * trips, which a writer pays one item after another.) An item's future completes only after the
 * transaction holding its writes committed, so whoever answers the caller (the reply to an agent)
 * answers for a durable write.
 *
 * <p>Items with the same key go to the same writer and run in submission order; their futures may
 * complete out of that order (on different threads), so whoever needs its answers in order orders
 * them itself, as a WebSocket's replies do. The queues are bounded: when a writer's queue is full,
 * {@link #submit} blocks the caller (back-pressure on the agent's connection) until there is room.
 *
 * <p>The work of an item must not wait for another item; it runs on a writer thread, outside any
 * tenant confinement of the caller. The futures of a committed batch complete on virtual threads,
 * up to {@link #COMPLETIONS_PER_THREAD} items each, so whatever depends on them (the replies to
 * agents) never holds up the writer, and costs one thread per few dozen items rather than one each.
 */
public final class GroupCommit implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  private static final ThreadLocal<Boolean> BATCHING = new ThreadLocal<>();

  /**
   * Items whose futures one virtual thread completes. A batch of a fan-out holds hundreds, each
   * with a reply to send; in slices the replies of one batch still go out on several cores.
   */
  static final int COMPLETIONS_PER_THREAD = 64;

  /** How long {@link #close} waits for the writers and the completions of their last batches. */
  private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(10);

  /** Wakes an idle writer at close. */
  private static final Item<Void> WAKE_UP = new Item<>(() -> null, new CompletableFuture<>(), 0);

  private final Transactions transactions;
  private final Predicate<RuntimeException> keepsWrites;
  private final int maxBatch;
  private final List<BlockingQueue<Item<?>>> queues;
  private final List<Thread> writers;
  private final ThreadFactory completers;
  private final UnaryOperator<Runnable> aroundCompletions;

  /** Completing threads still running, which {@link #close} waits for. */
  private final Set<Thread> completing = ConcurrentHashMap.newKeySet();

  private volatile boolean closed;

  /**
   * @param writers writer threads (1 for a database with a single writer, such as SQLite)
   * @param queueCapacity items each writer holds before {@link #submit} blocks
   * @param maxBatch most items in one transaction
   * @param keepsWrites which failures of an item keep the writes it made before failing
   */
  public GroupCommit(
      Transactions transactions,
      String name,
      int writers,
      int queueCapacity,
      int maxBatch,
      Predicate<RuntimeException> keepsWrites) {
    this(
        transactions,
        name,
        writers,
        queueCapacity,
        maxBatch,
        keepsWrites,
        UnaryOperator.identity(),
        UnaryOperator.identity());
  }

  /**
   * @param aroundWriter wraps each writer thread's loop (to give it its own connections, say)
   * @param aroundCompletions wraps each task that completes a slice of a batch's futures (to let
   *     the replies they send share socket writes, say)
   */
  public GroupCommit(
      Transactions transactions,
      String name,
      int writers,
      int queueCapacity,
      int maxBatch,
      Predicate<RuntimeException> keepsWrites,
      UnaryOperator<Runnable> aroundWriter,
      UnaryOperator<Runnable> aroundCompletions) {
    if (writers < 1 || queueCapacity < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("writers, queueCapacity and maxBatch must be positive");
    }
    this.transactions = transactions;
    this.keepsWrites = keepsWrites;
    this.maxBatch = maxBatch;
    this.completers = Thread.ofVirtual().name(name + "-done-", 0).factory();
    this.aroundCompletions = aroundCompletions;
    List<BlockingQueue<Item<?>>> q = new ArrayList<>(writers);
    List<Thread> t = new ArrayList<>(writers);
    for (int i = 0; i < writers; i++) {
      BlockingQueue<Item<?>> queue = new ArrayBlockingQueue<>(queueCapacity);
      q.add(queue);
      t.add(
          Thread.ofPlatform()
              .daemon()
              .name(name + "-" + i)
              .unstarted(aroundWriter.apply(() -> drain(queue))));
    }
    this.queues = List.copyOf(q);
    this.writers = List.copyOf(t);
    this.writers.forEach(Thread::start);
  }

  /**
   * Queues {@code work} behind the other items of {@code key}'s writer, blocking while that queue
   * is full. The future completes with the work's value once its batch has committed, or with the
   * exception the work threw.
   */
  public <T> CompletableFuture<T> submit(Object key, Supplier<T> work) {
    return submit(key, Duration.ZERO, work);
  }

  /**
   * {@link #submit} for work that may wait up to {@code patience} for company before it commits: a
   * batch made only of such work waits, from the moment its most impatient item was submitted, for
   * more items to share its commit; any item submitted without patience ends the wait. Writes that
   * arrive one at a time and that nobody waits for, such as the heartbeats of an idle fleet, then
   * share a commit (an fsync on SQLite) instead of paying one each.
   */
  public <T> CompletableFuture<T> submit(Object key, Duration patience, Supplier<T> work) {
    if (closed) {
      throw new IllegalStateException("group commit is closed");
    }
    Item<T> item =
        new Item<>(work, new CompletableFuture<>(), System.nanoTime() + patience.toNanos());
    BlockingQueue<Item<?>> queue = queues.get(Math.floorMod(key.hashCode(), queues.size()));
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for room in the write queue", e);
    }
    return item.future;
  }

  /**
   * {@link #submit(Object, Duration, Supplier)} on {@code writes}; without a group commit (null)
   * the work runs now and the future is already complete, with its value or its refusal.
   */
  public static <T> CompletableFuture<T> submitOrRun(
      GroupCommit writes, Object key, Duration patience, Supplier<T> work) {
    if (writes != null) {
      return writes.submit(key, patience, work);
    }
    try {
      return CompletableFuture.completedFuture(work.get());
    } catch (RuntimeException refused) {
      return CompletableFuture.failedFuture(refused);
    }
  }

  /** {@link #call} on {@code writes}; without a group commit (null) the work runs now. */
  public static <T> T callOrRun(GroupCommit writes, Object key, Supplier<T> work) {
    return writes == null ? work.get() : writes.call(key, work);
  }

  /** {@link #submit} and wait: returns the value once committed, or throws what the work threw. */
  public <T> T call(Object key, Supplier<T> work) {
    if (transactions.inProgress()) {
      // The caller's transaction holds what a writer would wait for (SQLite's one write lock):
      // the work joins that transaction instead, and commits with it.
      return work.get();
    }
    CompletableFuture<T> future = submit(key, work);
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a group commit", e);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    }
  }

  private static RuntimeException unwrap(Throwable cause) {
    if (cause instanceof CompletionException wrapped && wrapped.getCause() != null) {
      cause = wrapped.getCause();
    }
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IllegalStateException(cause);
  }

  private void drain(BlockingQueue<Item<?>> queue) {
    List<Item<?>> batch = new ArrayList<>(maxBatch);
    while (!closed || !queue.isEmpty()) {
      try {
        Item<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null || first == WAKE_UP) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        waitForCompany(queue, batch);
        runBatch(batch);
      } catch (InterruptedException e) {
        if (closed) {
          break;
        }
      } catch (RuntimeException | Error e) {
        // Never lose the writer: fail what is left of the batch and carry on.
        log.error("Group commit writer failed", e);
        List<Outcome> failed = batch.stream().map(item -> Outcome.failed(e)).toList();
        complete(batch, failed);
      } finally {
        batch.clear();
      }
    }
    Item<?> left;
    while ((left = queue.poll()) != null) {
      left.future.completeExceptionally(new IllegalStateException("group commit is closed"));
    }
  }

  /**
   * Adds items to {@code batch} until it is full or its most impatient item's commit is due (at
   * once for an item submitted without patience).
   */
  private void waitForCompany(BlockingQueue<Item<?>> queue, List<Item<?>> batch) {
    long due = Long.MAX_VALUE;
    int seen = 0;
    while (batch.size() < maxBatch && !closed) {
      for (; seen < batch.size(); seen++) {
        due = Math.min(due, batch.get(seen).commitBy);
      }
      long wait = due - System.nanoTime();
      if (wait <= 0) {
        return;
      }
      Item<?> next;
      try {
        next = queue.poll(wait, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        return; // commit what is here; the batch's callers are waiting for it
      }
      if (next == null || next == WAKE_UP) {
        return;
      }
      batch.add(next);
      queue.drainTo(batch, maxBatch - batch.size());
    }
  }

  /**
   * Whether this thread is running a group commit's batch: work that can defer its writes to the
   * end of the transaction (see {@link Transactions#perTransaction}) may do so, since nothing else
   * in a batch reads them back.
   */
  public static boolean inBatch() {
    return BATCHING.get() != null;
  }

  /**
   * Runs writes that belong together as one unit. Inside a batch the batch already is that unit:
   * any failure rolls the whole batch back and reruns each item in a transaction of its own, and no
   * item goes on after a failed write. A savepoint there would guard nothing and cost two
   * statements on the writer every agent waits for. Elsewhere the work gets its own transaction.
   */
  public static <T> T atomically(Transactions transactions, Supplier<T> work) {
    return inBatch() ? transactions.joining(work) : transactions.inTransaction(work);
  }

  /**
   * In a batch, the batch's one object for {@code key} (see {@link Transactions#perTransaction}):
   * small writes of many items collected there are written once, by {@code beforeCommit}, just
   * before the batch commits. Null outside a batch: the caller then writes at once.
   */
  public static <T> T perBatch(
      Transactions transactions, Object key, Supplier<T> create, Consumer<T> beforeCommit) {
    return inBatch() ? transactions.perTransaction(key, create, beforeCommit) : null;
  }

  private void runBatch(List<Item<?>> batch) {
    BATCHING.set(Boolean.TRUE);
    try {
      runBatchNow(batch);
    } finally {
      BATCHING.remove();
    }
  }

  private void runBatchNow(List<Item<?>> batch) {
    List<Outcome> outcomes;
    try {
      outcomes =
          transactions.inTransaction(
              () -> {
                List<Outcome> done = new ArrayList<>(batch.size());
                for (Item<?> item : batch) {
                  done.add(attempt(item));
                }
                return done;
              });
    } catch (RuntimeException batchFailed) {
      // Nothing of the batch committed: run each item in a transaction of its own.
      log.debug(
          "Group commit of {} items failed ({}); running them one by one",
          batch.size(),
          batchFailed.toString());
      List<Outcome> alone = new ArrayList<>(batch.size());
      for (Item<?> item : batch) {
        try {
          alone.add(transactions.inTransaction(() -> attempt(item)));
        } catch (RuntimeException failed) {
          alone.add(Outcome.failed(failed));
        }
      }
      complete(batch, alone);
      return;
    }
    complete(batch, outcomes);
  }

  /**
   * Completes the futures of {@code batch} off the writer (see {@link #COMPLETIONS_PER_THREAD}).
   */
  private void complete(List<Item<?>> batch, List<Outcome> outcomes) {
    List<Item<?>> committed = List.copyOf(batch); // the writer reuses its batch list
    for (int from = 0; from < committed.size(); from += COMPLETIONS_PER_THREAD) {
      int to = Math.min(committed.size(), from + COMPLETIONS_PER_THREAD);
      List<Item<?>> items = committed.subList(from, to);
      List<Outcome> results = outcomes.subList(from, to);
      Runnable completion =
          aroundCompletions.apply(
              () -> {
                for (int i = 0; i < items.size(); i++) {
                  results.get(i).completeFuture(items.get(i));
                }
              });
      Thread thread =
          completers.newThread(
              () -> {
                try {
                  completion.run();
                } finally {
                  completing.remove(Thread.currentThread());
                }
              });
      completing.add(thread);
      thread.start();
    }
  }

  /**
   * Runs one item in the current transaction: a refusal is its outcome, any other failure ends the
   * transaction.
   */
  private Outcome attempt(Item<?> item) {
    try {
      return Outcome.ok(item.work.get());
    } catch (RuntimeException refused) {
      if (keepsWrites.test(refused)) {
        return Outcome.failed(refused);
      }
      throw refused;
    }
  }

  /**
   * Stops taking items, lets the writers finish what is queued, and waits for them and for the
   * completions of their last batches (what depends on those futures, such as the replies to
   * agents, runs before the database behind them closes), up to {@link #CLOSE_PATIENCE} in all.
   */
  @Override
  public void close() {
    closed = true;
    // A writer that is busy finds the flag when its batch is done; an idle one is woken now.
    queues.forEach(queue -> queue.offer(WAKE_UP));
    long deadline = System.nanoTime() + CLOSE_PATIENCE.toNanos();
    try {
      for (Thread writer : writers) {
        writer.join(remaining(deadline));
      }
      // Once the writers stopped, no completion starts any more: these are the last.
      for (Thread completion : List.copyOf(completing)) {
        completion.join(remaining(deadline));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** At least a millisecond: {@link Thread#join(Duration)} of zero or less does not wait. */
  private static Duration remaining(long deadline) {
    return Duration.ofNanos(
        Math.max(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(1)));
  }

  /**
   * @param commitBy {@link System#nanoTime} by which the item's batch should commit
   */
  private record Item<T>(Supplier<T> work, CompletableFuture<T> future, long commitBy) {}

  private record Outcome(Object value, Throwable failure) {
    static Outcome ok(Object value) {
      return new Outcome(value, null);
    }

    static Outcome failed(Throwable failure) {
      return new Outcome(null, failure);
    }

    @SuppressWarnings("unchecked")
    <T> void completeFuture(Item<T> item) {
      if (failure != null) {
        item.future.completeExceptionally(failure);
      } else {
        item.future.complete((T) value);
      }
    }
  }
}
