package dev.courier.server.store;

import static dev.courier.server.testing.Latches.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.TestDatabases;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL: transactions of one lane (one audit chain's inserting requests) take turns on one
 * connection and share their commit; other lanes and ordinary transactions go on meanwhile.
 */
class PostgresSharedCommitTest extends SharedCommitContract {

  /** Each test instance has a lane of its own. */
  private final String lane = "lane-" + TenantId.random().value();

  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }

  @Override
  CompletableFuture<Void> shared(Runnable work) {
    return inLane(lane, work);
  }

  @Override
  int waiting() {
    return ((JdbcTransactions) db.transactions()).waitingIn(lane);
  }

  @Test
  void another_lane_commits_while_a_lane_is_busy() throws Exception {
    TenantId busy = TenantId.random();
    TenantId other = TenantId.random();
    CountDownLatch busyStarted = new CountDownLatch(1);
    CountDownLatch busyMayFinish = new CountDownLatch(1);

    CompletableFuture<Void> busyDone = writing(busy, busyStarted, busyMayFinish, NOTHING);
    await(busyStarted);

    inLane("other-" + other.value(), () -> createTenant(other)).get(10, TimeUnit.SECONDS);

    assertThat(committedTenant(other)).isTrue();
    assertThat(busyDone).isNotDone();
    busyMayFinish.countDown();
    busyDone.get(10, TimeUnit.SECONDS);
    assertThat(committedTenant(busy)).isTrue();
  }

  private CompletableFuture<Void> inLane(String name, Runnable work) {
    return onOwnThread(() -> db.transactions().inSharedTransaction(name, returningNothing(work)));
  }
}
