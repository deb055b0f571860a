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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On PostgreSQL, transactions of one lane (one audit chain's inserting requests) take turns on one
 * connection and share their commit; other lanes and ordinary transactions go on meanwhile.
 */
@Timeout(30)
class PostgresSharedCommitTest extends StoreContract {

  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }

  @Test
  void a_lane_member_with_another_queued_behind_it_returns_only_with_the_last_ones_commit()
      throws Exception {
    String lane = "lane-" + TenantId.random().value();
    TenantId first = TenantId.random();
    TenantId second = TenantId.random();
    CountDownLatch firstMayFinish = new CountDownLatch(1);
    CountDownLatch secondStarted = new CountDownLatch(1);
    CountDownLatch secondMayFinish = new CountDownLatch(1);
    CountDownLatch firstStarted = new CountDownLatch(1);

    CompletableFuture<Void> firstDone =
        inLane(
            lane,
            () -> {
              firstStarted.countDown();
              createTenant(first);
              await(firstMayFinish);
            });
    await(firstStarted);
    CompletableFuture<Void> secondDone =
        inLane(
            lane,
            () -> {
              secondStarted.countDown();
              createTenant(second);
              await(secondMayFinish);
            });
    awaitTrue(() -> transactions().waitingIn(lane) > 0);
    firstMayFinish.countDown();
    await(secondStarted);

    assertThat(firstDone).isNotDone();
    assertThat(committedTenant(first)).as("held for the shared commit").isFalse();

    secondMayFinish.countDown();
    secondDone.get(10, TimeUnit.SECONDS);
    firstDone.get(10, TimeUnit.SECONDS);
    assertThat(committedTenant(first)).isTrue();
    assertThat(committedTenant(second)).isTrue();
  }

  @Test
  void another_lane_commits_while_a_lane_is_busy() throws Exception {
    TenantId busy = TenantId.random();
    TenantId other = TenantId.random();
    CountDownLatch busyStarted = new CountDownLatch(1);
    CountDownLatch busyMayFinish = new CountDownLatch(1);

    CompletableFuture<Void> busyDone =
        inLane(
            "busy-" + busy.value(),
            () -> {
              createTenant(busy);
              busyStarted.countDown();
              await(busyMayFinish);
            });
    await(busyStarted);

    inLane("other-" + other.value(), () -> createTenant(other)).get(10, TimeUnit.SECONDS);

    assertThat(committedTenant(other)).isTrue();
    assertThat(busyDone).isNotDone();
    busyMayFinish.countDown();
    busyDone.get(10, TimeUnit.SECONDS);
    assertThat(committedTenant(busy)).isTrue();
  }

  @Test
  void a_failing_lane_member_undoes_only_its_own_writes() throws Exception {
    String lane = "lane-" + TenantId.random().value();
    TenantId kept = TenantId.random();
    TenantId undone = TenantId.random();
    CountDownLatch holderStarted = new CountDownLatch(1);
    CountDownLatch holderMayFinish = new CountDownLatch(1);

    CompletableFuture<Void> holder =
        inLane(
            lane,
            () -> {
              holderStarted.countDown();
              createTenant(kept);
              await(holderMayFinish);
            });
    await(holderStarted);
    CompletableFuture<Void> failing =
        inLane(
            lane,
            () -> {
              createTenant(undone);
              throw new IllegalStateException("refused after writing");
            });
    awaitTrue(() -> transactions().waitingIn(lane) > 0);
    holderMayFinish.countDown();

    holder.get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("refused after writing");
    assertThat(committedTenant(kept)).isTrue();
    assertThat(committedTenant(undone)).isFalse();
  }

  private JdbcTransactions transactions() {
    return (JdbcTransactions) db.transactions();
  }

  private CompletableFuture<Void> inLane(String lane, Runnable work) {
    return CompletableFuture.runAsync(
        () ->
            db.transactions()
                .inSharedTransaction(
                    lane,
                    () -> {
                      work.run();
                      return null;
                    }),
        runnable -> Thread.ofPlatform().daemon().start(runnable));
  }

  private void createTenant(TenantId id) {
    repos.tenants().create(new Tenant(id, "lane-" + id.value(), START));
  }

  private boolean committedTenant(TenantId id) throws Exception {
    return CompletableFuture.supplyAsync(
            () -> repos.tenants().find(id).isPresent(),
            runnable -> Thread.ofPlatform().daemon().start(runnable))
        .get(10, TimeUnit.SECONDS);
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 10 s");
      }
      Thread.sleep(5);
    }
  }
}
