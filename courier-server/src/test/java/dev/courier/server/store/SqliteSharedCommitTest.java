package dev.courier.server.store;

import static dev.courier.server.testing.Latches.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.server.tenant.Tenant;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.TestDatabases;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SQLite's write transactions share commits: one that finishes while others wait for the write lock
 * leaves its writes uncommitted for the last of them to commit, and returns only then.
 */
@Timeout(30)
class SqliteSharedCommitTest extends StoreContract {

  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }

  @Test
  void a_transaction_with_writers_queued_behind_it_returns_only_once_the_last_of_them_committed()
      throws Exception {
    TenantId first = TenantId.random();
    TenantId second = TenantId.random();
    CountDownLatch firstMayFinish = new CountDownLatch(1);
    CountDownLatch secondStarted = new CountDownLatch(1);
    CountDownLatch secondMayFinish = new CountDownLatch(1);

    CompletableFuture<Void> firstDone =
        inTransaction(
            () -> {
              createTenant(first);
              await(firstMayFinish);
            });
    awaitTrue(() -> writeLock().isLocked() ? 1 : 0);
    CompletableFuture<Void> secondDone =
        inTransaction(
            () -> {
              secondStarted.countDown();
              createTenant(second);
              await(secondMayFinish);
            });
    awaitTrue(writeLock()::getQueueLength);
    firstMayFinish.countDown();
    await(secondStarted);

    // The first finished its work with the second queued: its write waits for the second's commit.
    assertThat(firstDone).isNotDone();
    assertThat(committedTenant(first)).isFalse();

    secondMayFinish.countDown();
    secondDone.get(10, TimeUnit.SECONDS);
    firstDone.get(10, TimeUnit.SECONDS);
    assertThat(committedTenant(first)).isTrue();
    assertThat(committedTenant(second)).isTrue();
  }

  @Test
  void a_failing_transaction_in_a_shared_commit_undoes_only_its_own_writes() throws Exception {
    TenantId kept = TenantId.random();
    TenantId undone = TenantId.random();
    TenantId later = TenantId.random();
    CountDownLatch holderMayFinish = new CountDownLatch(1);

    CompletableFuture<Void> holder =
        inTransaction(
            () -> {
              createTenant(kept);
              await(holderMayFinish);
            });
    awaitTrue(() -> writeLock().isLocked() ? 1 : 0);
    CompletableFuture<Void> failing =
        inTransaction(
            () -> {
              createTenant(undone);
              throw new IllegalStateException("refused after writing");
            });
    awaitTrue(writeLock()::getQueueLength);
    CompletableFuture<Void> last = inTransaction(() -> createTenant(later));
    awaitTrue(() -> writeLock().getQueueLength() >= 2 ? 1 : 0);
    holderMayFinish.countDown();

    holder.get(10, TimeUnit.SECONDS);
    last.get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("refused after writing");
    assertThat(committedTenant(kept)).isTrue();
    assertThat(committedTenant(later)).isTrue();
    assertThat(committedTenant(undone)).isFalse();
  }

  @Test
  void a_lone_write_outside_a_transaction_commits_behind_an_open_shared_transaction()
      throws Exception {
    TenantId inTransaction = TenantId.random();
    TenantId lone = TenantId.random();
    CountDownLatch holderMayFinish = new CountDownLatch(1);

    CompletableFuture<Void> holder =
        inTransaction(
            () -> {
              createTenant(inTransaction);
              await(holderMayFinish);
            });
    awaitTrue(() -> writeLock().isLocked() ? 1 : 0);
    CompletableFuture<Void> loneWrite = CompletableFuture.runAsync(() -> createTenant(lone));
    awaitTrue(writeLock()::getQueueLength);
    holderMayFinish.countDown();

    holder.get(10, TimeUnit.SECONDS);
    loneWrite.get(10, TimeUnit.SECONDS);
    assertThat(committedTenant(inTransaction)).isTrue();
    assertThat(committedTenant(lone)).isTrue();
  }

  private CompletableFuture<Void> inTransaction(Runnable work) {
    return CompletableFuture.runAsync(
        () ->
            db.transactions()
                .inTransaction(
                    () -> {
                      work.run();
                      return null;
                    }),
        runnable -> Thread.ofPlatform().daemon().start(runnable));
  }

  private void createTenant(TenantId id) {
    repos.tenants().create(new Tenant(id, "shared-" + id.value(), START));
  }

  /** Read on a thread of its own, outside any transaction: sees committed rows only. */
  private boolean committedTenant(TenantId id) throws Exception {
    return CompletableFuture.supplyAsync(
            () -> repos.tenants().find(id).isPresent(),
            runnable -> Thread.ofPlatform().daemon().start(runnable))
        .get(10, TimeUnit.SECONDS);
  }

  private ReentrantLock writeLock() {
    return (ReentrantLock) db.database().dialect().writeLock();
  }

  private static void awaitTrue(IntSupplier positive) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (positive.getAsInt() <= 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 10 s");
      }
      Thread.sleep(5);
    }
  }
}
