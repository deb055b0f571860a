package dev.courier.server.store;

import static dev.courier.server.testing.Latches.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.server.common.GroupCommit;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.TestDatabases;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** SQLite: every write transaction shares commits with those queued for the write lock. */
class SqliteSharedCommitTest extends SharedCommitContract {

  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }

  @Override
  CompletableFuture<Void> shared(Runnable work) {
    return onOwnThread(() -> db.transactions().inTransaction(returningNothing(work)));
  }

  @Override
  int waiting() {
    return writeLock().getQueueLength();
  }

  @Test
  void a_group_commits_batch_commits_at_its_end_though_a_transaction_is_queued_behind_it()
      throws Exception {
    TenantId fromWriter = TenantId.random();
    TenantId queued = TenantId.random();
    CountDownLatch writerWrote = new CountDownLatch(1);
    CountDownLatch writerMayEnd = new CountDownLatch(1);
    CountDownLatch queuedStarted = new CountDownLatch(1);
    CountDownLatch queuedMayEnd = new CountDownLatch(1);

    try (GroupCommit writes =
        new GroupCommit(db.transactions(), "test-writer", 1, 16, 64, refused -> false)) {
      CompletableFuture<Void> written =
          writes.submit(
              "agent",
              () -> {
                createTenant(fromWriter);
                writerWrote.countDown();
                await(writerMayEnd);
                return null;
              });
      await(writerWrote);
      CompletableFuture<Void> other = writing(queued, queuedStarted, queuedMayEnd, NOTHING);
      awaitTrue(() -> waiting() > 0);
      writerMayEnd.countDown();

      // The batch already shares its commit among its items: its writer, whom every agent's
      // answer waits for, does not also wait for the transaction queued behind it.
      written.get(10, TimeUnit.SECONDS);
      assertThat(committedTenant(fromWriter)).isTrue();
      await(queuedStarted);
      assertThat(other).isNotDone();
      queuedMayEnd.countDown();
      other.get(10, TimeUnit.SECONDS);
      assertThat(committedTenant(queued)).isTrue();
    }
  }

  @Test
  void a_lone_write_outside_a_transaction_commits_behind_an_open_shared_transaction()
      throws Exception {
    TenantId inTransaction = TenantId.random();
    TenantId lone = TenantId.random();
    CountDownLatch holderWrote = new CountDownLatch(1);
    CountDownLatch holderMayFinish = new CountDownLatch(1);

    CompletableFuture<Void> holder = writing(inTransaction, holderWrote, holderMayFinish, NOTHING);
    await(holderWrote);
    CompletableFuture<Void> loneWrite = CompletableFuture.runAsync(() -> createTenant(lone));
    awaitTrue(() -> waiting() > 0);
    holderMayFinish.countDown();

    holder.get(10, TimeUnit.SECONDS);
    loneWrite.get(10, TimeUnit.SECONDS);
    assertThat(committedTenant(inTransaction)).isTrue();
    assertThat(committedTenant(lone)).isTrue();
  }

  private ReentrantLock writeLock() {
    return (ReentrantLock) db.database().dialect().writeLock();
  }
}
