package dev.courier.server.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The group commit's contract, against an in-memory transaction manager that records what each
 * commit contained: items share commits, an item's failure stays its own, a full queue makes the
 * caller wait, and a future completes only after its commit.
 */
@Timeout(30)
class GroupCommitTest {

  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private final RecordingTransactions transactions = new RecordingTransactions();
  private final CountDownLatch writerBusy = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private GroupCommit group;

  @AfterEach
  void close() {
    release.countDown();
    if (group != null) {
      group.close();
    }
  }

  private GroupCommit open(int queueCapacity) {
    group =
        new GroupCommit(
            transactions, "test-writer", 1, queueCapacity, 64, e -> e instanceof Refused);
    return group;
  }

  /** An item that writes {@code name}, then holds the writer inside its batch until released. */
  private Supplier<String> blocking(String name) {
    return () -> {
      transactions.write(name);
      writerBusy.countDown();
      awaitQuietly(release);
      return name;
    };
  }

  private Supplier<String> writing(String name) {
    return () -> {
      transactions.write(name);
      return name;
    };
  }

  @Test
  void itemsWaitingTogetherShareOneCommit() throws Exception {
    open(100);
    CompletableFuture<String> first = group.submit("agent-1", blocking("first"));
    awaitQuietly(writerBusy);
    List<CompletableFuture<String>> later = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      later.add(group.submit("agent-" + i, writing("w" + i)));
    }
    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    for (int i = 0; i < 5; i++) {
      assertThat(later.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("w" + i);
    }
    assertThat(transactions.commits)
        .containsExactly(List.of("first"), List.of("w0", "w1", "w2", "w3", "w4"));
  }

  @Test
  void patientItemsWaitForCompanyUntilAnImpatientOneArrives() throws Exception {
    open(100);
    Duration anHour = Duration.ofHours(1);
    CompletableFuture<String> first = group.submit("x", blocking("first"));
    awaitQuietly(writerBusy);
    CompletableFuture<String> patient1 = group.submit("a", anHour, writing("p1"));
    CompletableFuture<String> patient2 = group.submit("b", anHour, writing("p2"));
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");

    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> transactions.commits.size() == 1);
    CompletableFuture<String> impatient = group.submit("c", writing("now"));

    assertThat(impatient.get(10, TimeUnit.SECONDS)).isEqualTo("now");
    assertThat(patient1.get(10, TimeUnit.SECONDS)).isEqualTo("p1");
    assertThat(patient2.get(10, TimeUnit.SECONDS)).isEqualTo("p2");
    assertThat(transactions.commits).containsExactly(List.of("first"), List.of("p1", "p2", "now"));
  }

  @Test
  void aPatientItemAloneCommitsOnceItsPatienceIsUsedUp() throws Exception {
    open(100);

    assertThat(group.submit("a", Duration.ofMillis(50), writing("alone")).get(10, TimeUnit.SECONDS))
        .isEqualTo("alone");
    assertThat(transactions.commits).containsExactly(List.of("alone"));
  }

  @Test
  void closingCommitsWhatIsWaitingForCompany() throws Exception {
    open(100);
    CompletableFuture<String> first = group.submit("x", blocking("first"));
    awaitQuietly(writerBusy);
    CompletableFuture<String> patient = group.submit("a", Duration.ofHours(1), writing("p"));
    release.countDown();
    first.get(10, TimeUnit.SECONDS);

    group.close();

    assertThat(patient.get(10, TimeUnit.SECONDS)).isEqualTo("p");
    assertThat(transactions.commits).containsExactly(List.of("first"), List.of("p"));
  }

  @Test
  void withoutAGroupCommitWorkRunsAtOnceAndARefusalFailsItsFuture() {
    CompletableFuture<String> done =
        GroupCommit.submitOrRun(null, "a", Duration.ofHours(1), () -> "now");
    CompletableFuture<String> refused =
        GroupCommit.submitOrRun(
            null,
            "a",
            Duration.ZERO,
            () -> {
              throw new Refused("not now");
            });

    assertThat(done).isCompletedWithValue("now");
    assertThat(refused).isCompletedExceptionally();
  }

  @Test
  void aFailingItemIsUndoneAloneAndARefusalKeepsItsWrites() throws Exception {
    open(100);
    CompletableFuture<String> first = group.submit("a", blocking("first"));
    awaitQuietly(writerBusy);
    CompletableFuture<String> before = group.submit("a", writing("before"));
    CompletableFuture<String> broken =
        group.submit(
            "b",
            () -> {
              transactions.write("broken");
              throw new IllegalStateException("storage failed");
            });
    CompletableFuture<String> refused =
        group.submit(
            "c",
            () -> {
              transactions.write("expired");
              throw new Refused("conflict after recording the expiry");
            });
    CompletableFuture<String> after = group.submit("d", writing("after"));
    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo("before");
    assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo("after");
    assertThatThrownBy(() -> broken.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(Refused.class);
    // The storage failure rolled its batch back; each item then ran alone, and only the broken
    // one's writes are missing.
    assertThat(transactions.commits)
        .containsExactly(List.of("first"), List.of("before"), List.of("expired"), List.of("after"));
  }

  @Test
  void callThrowsTheItemsOwnException() {
    open(100);
    assertThatThrownBy(
            () ->
                group.call(
                    "a",
                    () -> {
                      throw new Refused("no");
                    }))
        .isInstanceOf(Refused.class)
        .hasMessage("no");
    assertThat(group.call("a", writing("fine"))).isEqualTo("fine");
  }

  @Test
  void aFullQueueMakesTheCallerWaitUntilThereIsRoom() throws Exception {
    open(2);
    CompletableFuture<String> first = group.submit("a", blocking("first"));
    awaitQuietly(writerBusy);
    group.submit("a", writing("q1"));
    group.submit("a", writing("q2"));
    AtomicBoolean submitted = new AtomicBoolean();
    List<CompletableFuture<String>> third = new CopyOnWriteArrayList<>();
    Thread caller =
        Thread.ofPlatform()
            .start(
                () -> {
                  third.add(group.submit("a", writing("q3")));
                  submitted.set(true);
                });

    await()
        .atMost(PATIENCE)
        .until(() -> caller.getState() == Thread.State.WAITING || submitted.get());
    assertThat(submitted).as("the third submit waits for room in the queue").isFalse();

    release.countDown();
    caller.join(PATIENCE.toMillis());
    assertThat(submitted).isTrue();
    assertThat(third.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("q3");
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(transactions.commits.stream().flatMap(List::stream))
        .containsExactly("first", "q1", "q2", "q3");
  }

  @Test
  void aFutureCompletesOnlyAfterItsBatchCommitted() throws Exception {
    open(100);
    CompletableFuture<String> first = group.submit("a", blocking("first"));
    awaitQuietly(writerBusy);
    CountDownLatch secondRan = new CountDownLatch(1);
    CountDownLatch letSecondFinish = new CountDownLatch(1);
    CompletableFuture<String> done = group.submit("a", writing("done"));
    CompletableFuture<String> slow =
        group.submit(
            "b",
            () -> {
              transactions.write("slow");
              secondRan.countDown();
              awaitQuietly(letSecondFinish);
              return "slow";
            });
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    awaitQuietly(secondRan);

    // "done" has run, but its batch is still open behind "slow": no answer yet.
    assertThat(done).isNotDone();
    assertThat(transactions.commits).containsExactly(List.of("first"));

    letSecondFinish.countDown();
    assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("slow");
    assertThat(transactions.commits).containsExactly(List.of("first"), List.of("done", "slow"));
  }

  @Test
  void whatWaitsOnACommittedItemDoesNotHoldUpTheWriter() throws Exception {
    open(100);
    CountDownLatch dependentRunning = new CountDownLatch(1);
    CountDownLatch letDependentFinish = new CountDownLatch(1);
    CompletableFuture<String> held = group.submit("a", blocking("held"));
    awaitQuietly(writerBusy);
    CompletableFuture<Void> dependent =
        group
            .submit("a", writing("first"))
            .thenAccept(
                value -> {
                  dependentRunning.countDown();
                  awaitQuietly(letDependentFinish);
                });
    release.countDown();
    held.get(10, TimeUnit.SECONDS);
    awaitQuietly(dependentRunning);

    // Completed on the writer, the dependent would keep it from the next batch.
    assertThat(group.submit("a", writing("second")).get(10, TimeUnit.SECONDS)).isEqualTo("second");
    assertThat(transactions.commits)
        .containsExactly(List.of("held"), List.of("first"), List.of("second"));
    assertThat(dependent).isNotDone();
    letDependentFinish.countDown();
    dependent.get(10, TimeUnit.SECONDS);
  }

  @Test
  void closingWaitsUntilWhatDependsOnTheLastBatchHasRun() throws Exception {
    open(100);
    CountDownLatch dependentRunning = new CountDownLatch(1);
    CountDownLatch letDependentFinish = new CountDownLatch(1);
    AtomicBoolean dependentFinished = new AtomicBoolean();
    // Held behind a blocking item, so the dependent is in place before its item commits and runs
    // on a completing thread, not on this one.
    group.submit("a", blocking("held"));
    awaitQuietly(writerBusy);
    group
        .submit("a", writing("last"))
        .thenAccept(
            value -> {
              dependentRunning.countDown();
              awaitQuietly(letDependentFinish);
              dependentFinished.set(true);
            });
    release.countDown();
    awaitQuietly(dependentRunning);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(group::close);
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !closing.isDone());
    letDependentFinish.countDown();
    closing.get(10, TimeUnit.SECONDS);
    assertThat(dependentFinished).isTrue();
  }

  @Test
  void thoseOfABatchLargerThanOneCompletingThreadAllComplete() throws Exception {
    open(1_000);
    CompletableFuture<String> first = group.submit("a", blocking("first"));
    awaitQuietly(writerBusy);
    List<CompletableFuture<String>> queued = new ArrayList<>();
    int count = GroupCommit.COMPLETIONS_PER_THREAD * 2 + 1;
    for (int i = 0; i < count; i++) {
      queued.add(group.submit("k" + i, writing("item-" + i)));
    }
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    for (int i = 0; i < count; i++) {
      assertThat(queued.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("item-" + i);
    }
  }

  @Test
  void whatWaitsOnABatchsItemsRunsInsideTheWrapperGivenForItsCompletions() throws Exception {
    ThreadLocal<Boolean> wrapping = new ThreadLocal<>();
    AtomicInteger tasks = new AtomicInteger();
    group =
        new GroupCommit(
            transactions,
            "test-writer",
            1,
            1_000,
            1_000,
            e -> false,
            UnaryOperator.identity(),
            task ->
                () -> {
                  tasks.incrementAndGet();
                  wrapping.set(true);
                  try {
                    task.run();
                  } finally {
                    wrapping.remove();
                  }
                });
    CompletableFuture<String> first = group.submit("a", blocking("first"));
    awaitQuietly(writerBusy);
    List<CompletableFuture<Boolean>> seen = new ArrayList<>();
    int count = GroupCommit.COMPLETIONS_PER_THREAD + 1;
    for (int i = 0; i < count; i++) {
      seen.add(group.submit("k" + i, writing("item-" + i)).thenApply(v -> wrapping.get()));
    }
    release.countDown();

    first.get(10, TimeUnit.SECONDS);
    for (CompletableFuture<Boolean> dependent : seen) {
      assertThat(dependent.get(10, TimeUnit.SECONDS)).isTrue();
    }
    // One task for the first batch, two for the slices of the second.
    assertThat(tasks).hasValue(3);
  }

  @Test
  void whenABatchCannotCommitEachItemIsRunAgainAlone() throws Exception {
    open(100);
    CompletableFuture<String> first = group.submit("a", blocking("first"));
    awaitQuietly(writerBusy);
    CompletableFuture<String> one = group.submit("a", writing("one"));
    CompletableFuture<String> two = group.submit("b", writing("two"));
    transactions.failNextCommitOfSize(2);
    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(one.get(10, TimeUnit.SECONDS)).isEqualTo("one");
    assertThat(two.get(10, TimeUnit.SECONDS)).isEqualTo("two");
    assertThat(transactions.commits)
        .containsExactly(List.of("first"), List.of("one"), List.of("two"));
  }

  @Test
  void aCallerAlreadyInATransactionRunsTheWorkInItInsteadOfWaitingForAWriter() {
    open(100);
    String value =
        transactions.inTransaction(
            () -> {
              transactions.write("caller");
              return group.call("a", writing("joined"));
            });
    assertThat(value).isEqualTo("joined");
    assertThat(transactions.commits).containsExactly(List.of("caller", "joined"));
  }

  @Test
  void afterCloseNothingIsTaken() {
    open(100);
    group.close();
    assertThatThrownBy(() -> group.submit("a", writing("late")))
        .isInstanceOf(IllegalStateException.class);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An expected refusal: the group commit keeps what the item wrote before it. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /**
   * Transactions in memory: a nested call is a savepoint (its writes are dropped if it throws), and
   * each outermost commit records the writes it made durable.
   */
  static final class RecordingTransactions implements Transactions {
    final List<List<String>> commits = new CopyOnWriteArrayList<>();
    private final ThreadLocal<List<String>> open = new ThreadLocal<>();
    private volatile int failCommitOfSize = -1;

    void write(String value) {
      List<String> writes = open.get();
      if (writes == null) {
        throw new IllegalStateException("write outside a transaction");
      }
      writes.add(value);
    }

    void failNextCommitOfSize(int size) {
      failCommitOfSize = size;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
      List<String> writes = open.get();
      if (writes != null) {
        int mark = writes.size();
        try {
          return work.get();
        } catch (RuntimeException e) {
          writes.subList(mark, writes.size()).clear();
          throw e;
        }
      }
      List<String> fresh = new ArrayList<>();
      open.set(fresh);
      try {
        T result = work.get();
        if (fresh.size() == failCommitOfSize) {
          failCommitOfSize = -1;
          throw new IllegalStateException("commit failed");
        }
        commits.add(List.copyOf(fresh));
        return result;
      } finally {
        open.remove();
      }
    }

    @Override
    public void afterCommit(Runnable task) {
      task.run();
    }

    @Override
    public boolean inProgress() {
      return open.get() != null;
    }
  }
}
