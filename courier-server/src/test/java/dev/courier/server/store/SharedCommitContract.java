package dev.courier.server.store;

import static dev.courier.server.testing.Latches.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.server.tenant.Tenant;
import dev.courier.server.tenant.TenantId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Transactions that share commits ({@link CommitBatch}): one that finishes while others wait to
 * join leaves its writes uncommitted for the last of them to commit and returns only then, and a
 * failing one undoes only its own writes. Each database says how such a transaction is started.
 */
@Timeout(30)
abstract class SharedCommitContract extends StoreContract {

  private static final String REFUSED = "refused after writing";

  static final Runnable NOTHING = () -> {};

  private static final Runnable REFUSE =
      () -> {
        throw new IllegalStateException(REFUSED);
      };

  /** Starts, on a thread of its own, a transaction that shares its commit with the others. */
  abstract CompletableFuture<Void> shared(Runnable work);

  /** How many transactions wait to join the open batch. */
  abstract int waiting();

  @Test
  void a_transaction_with_others_queued_behind_it_returns_only_once_the_last_of_them_committed()
      throws Exception {
    TenantId first = TenantId.random();
    TenantId second = TenantId.random();
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch firstMayFinish = new CountDownLatch(1);
    CountDownLatch secondStarted = new CountDownLatch(1);
    CountDownLatch secondMayFinish = new CountDownLatch(1);

    CompletableFuture<Void> firstDone = writing(first, firstStarted, firstMayFinish, NOTHING);
    await(firstStarted);
    CompletableFuture<Void> secondDone = writing(second, secondStarted, secondMayFinish, NOTHING);
    awaitTrue(() -> waiting() > 0);
    firstMayFinish.countDown();
    await(secondStarted);

    // The first finished its work with the second queued: its write waits for the second's commit.
    assertThat(firstDone).isNotDone();
    assertThat(committedTenant(first)).as("held for the shared commit").isFalse();

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
    CountDownLatch holderStarted = new CountDownLatch(1);
    CountDownLatch holderMayFinish = new CountDownLatch(1);

    CompletableFuture<Void> holder = writing(kept, holderStarted, holderMayFinish, NOTHING);
    await(holderStarted);
    CompletableFuture<Void> failing =
        shared(
            () -> {
              createTenant(undone);
              REFUSE.run();
            });
    awaitTrue(() -> waiting() > 0);
    CompletableFuture<Void> last = shared(() -> createTenant(later));
    awaitTrue(() -> waiting() >= 2);
    holderMayFinish.countDown();

    holder.get(10, TimeUnit.SECONDS);
    last.get(10, TimeUnit.SECONDS);
    assertRefused(failing);
    assertThat(committedTenant(kept)).isTrue();
    assertThat(committedTenant(later)).isTrue();
    assertThat(committedTenant(undone)).isFalse();
  }

  @Test
  void a_failing_first_transaction_of_a_batch_undoes_its_writes_and_the_batch_goes_on()
      throws Exception {
    TenantId undone = TenantId.random();
    TenantId later = TenantId.random();
    CountDownLatch firstWrote = new CountDownLatch(1);
    CountDownLatch firstMayFail = new CountDownLatch(1);

    // The first member of a batch runs without a savepoint: its failure rolls back the whole
    // transaction, which then holds nothing but its writes.
    CompletableFuture<Void> failing = writing(undone, firstWrote, firstMayFail, REFUSE);
    await(firstWrote);
    CompletableFuture<Void> queued = shared(() -> createTenant(later));
    awaitTrue(() -> waiting() > 0);
    firstMayFail.countDown();

    assertRefused(failing);
    queued.get(10, TimeUnit.SECONDS);
    assertThat(committedTenant(undone)).isFalse();
    assertThat(committedTenant(later)).isTrue();
  }

  /**
   * Starts a shared transaction that creates {@code tenant}, then counts {@code wrote} down, waits
   * for {@code mayEnd} (holding its batch open) and ends with {@code ending}.
   */
  CompletableFuture<Void> writing(
      TenantId tenant, CountDownLatch wrote, CountDownLatch mayEnd, Runnable ending) {
    return shared(
        () -> {
          createTenant(tenant);
          wrote.countDown();
          await(mayEnd);
          ending.run();
        });
  }

  /** Asserts that {@code failing} ended with the refusal its work threw after writing. */
  static void assertRefused(CompletableFuture<Void> failing) {
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage(REFUSED);
  }

  /** Runs {@code transaction} on a platform thread of its own. */
  static CompletableFuture<Void> onOwnThread(Supplier<Void> transaction) {
    return CompletableFuture.runAsync(
        transaction::get, runnable -> Thread.ofPlatform().daemon().start(runnable));
  }

  static Supplier<Void> returningNothing(Runnable work) {
    return () -> {
      work.run();
      return null;
    };
  }

  void createTenant(TenantId id) {
    repos.tenants().create(new Tenant(id, "shared-" + id.value(), START));
  }

  /** Read on a thread of its own, outside any transaction: sees committed rows only. */
  boolean committedTenant(TenantId id) throws Exception {
    return CompletableFuture.supplyAsync(
            () -> repos.tenants().find(id).isPresent(),
            runnable -> Thread.ofPlatform().daemon().start(runnable))
        .get(10, TimeUnit.SECONDS);
  }

  static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 10 s");
      }
      Thread.sleep(5);
    }
  }
}
