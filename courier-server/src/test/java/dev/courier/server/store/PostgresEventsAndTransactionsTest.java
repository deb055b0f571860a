package dev.courier.server.store;

import static dev.courier.server.testing.Latches.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.server.events.Event;
import dev.courier.server.events.EventFilter;
import dev.courier.server.events.EventPage;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.TestDatabases;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PostgresEventsAndTransactionsTest extends EventsAndTransactionsContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }

  @Test
  void a_read_past_a_number_not_yet_committed_says_so_and_a_read_again_finds_it() throws Exception {
    long before = repos.events().append(Event.of(null, "server.started", null, "{}", START));
    CountDownLatch appended = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Long> slow =
        CompletableFuture.supplyAsync(
            () ->
                db.transactions()
                    .inTransaction(
                        () -> {
                          long seq =
                              repos.events().append(Event.of(null, "slow", null, "{}", START));
                          appended.countDown();
                          await(release);
                          return seq;
                        }));
    try {
      assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
      long fast = repos.events().append(Event.of(null, "fast", null, "{}", START));

      EventPage passed = repos.events().readAfter(before, EventFilter.ALL, 10);
      assertThat(passed.events()).extracting(Event::seq).containsExactly(fast);
      assertThat(passed.through()).isEqualTo(fast);
      assertThat(passed.complete()).isFalse();
    } finally {
      release.countDown();
    }
    long late = slow.get(10, TimeUnit.SECONDS);

    EventPage again = repos.events().readAfter(before, EventFilter.ALL, 10);
    assertThat(again.events()).extracting(Event::seq).startsWith(late);
    assertThat(again.complete()).isTrue();
  }

  @Test
  void a_confined_read_sees_its_own_tenants_events_only_and_calls_the_others_holes() {
    TenantId ours = fixtures.tenant();
    TenantId theirs = fixtures.tenant();
    long before = repos.events().append(Event.of(ours, "agent.online", "a1", "{}", START));
    long theirEvent = repos.events().append(Event.of(theirs, "agent.online", "a1", "{}", START));
    long ourEvent = repos.events().append(Event.of(ours, "agent.offline", "a1", "{}", START));

    EventPage page =
        db.database()
            .confinement()
            .confinedTo(ours, () -> repos.events().readAfter(before, EventFilter.ALL, 10));

    assertThat(page.events()).extracting(Event::seq).containsExactly(ourEvent);
    assertThat(page.complete()).as("%d is hidden, not absent", theirEvent).isFalse();
  }
}
