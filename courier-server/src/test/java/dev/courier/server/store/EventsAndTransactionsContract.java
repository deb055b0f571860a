package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.server.events.Event;
import dev.courier.server.tenant.TenantId;
import java.util.List;
import org.junit.jupiter.api.Test;

abstract class EventsAndTransactionsContract extends StoreContract {

  private long lastSeq() {
    List<Event> all = repos.events().readAfter(0, 1_000_000);
    return all.isEmpty() ? 0 : all.getLast().seq();
  }

  @Test
  void appended_events_are_read_back_in_order_after_a_sequence_number() {
    TenantId tenant = fixtures.tenant();
    long before = lastSeq();

    long first = repos.events().append(Event.of(tenant, "agent.online", "a1", "{\"n\": 1}", START));
    long second = repos.events().append(Event.of(null, "server.started", null, "{}", START));

    assertThat(second).isGreaterThan(first);
    List<Event> read = repos.events().readAfter(before, 10);
    assertThat(read).extracting(Event::seq).containsExactly(first, second);
    assertThat(read.getFirst().tenantId()).isEqualTo(tenant);
    assertThat(read.getFirst().type()).isEqualTo("agent.online");
    assertThat(read.getFirst().subjectId()).isEqualTo("a1");
    assertSameJson(read.getFirst().payloadJson(), "{\"n\":1}");
    assertThat(read.getFirst().createdAt()).isEqualTo(START);
    assertThat(repos.events().readAfter(second, 10)).isEmpty();
  }

  @Test
  void events_appended_in_a_rolled_back_transaction_disappear_with_the_change() {
    long before = lastSeq();
    TenantId tenant = TenantId.random();

    assertThatThrownBy(
            () ->
                db.transactions()
                    .inTransaction(
                        () -> {
                          repos
                              .tenants()
                              .create(
                                  new dev.courier.server.tenant.Tenant(
                                      tenant, "rolled-back-" + tenant.value(), START));
                          repos
                              .events()
                              .append(
                                  Event.of(tenant, "tenant.created", tenant.value(), "{}", START));
                          throw new IllegalStateException("abort");
                        }))
        .hasMessage("abort");

    assertThat(repos.events().readAfter(before, 10)).isEmpty();
    assertThat(repos.tenants().find(tenant)).isEmpty();
  }

  @Test
  void a_committed_transaction_keeps_all_its_writes_and_nested_calls_join_it() {
    long before = lastSeq();

    TenantId tenant =
        db.transactions()
            .inTransaction(
                () -> {
                  TenantId created = fixtures.tenant();
                  db.transactions()
                      .inTransaction(
                          () -> {
                            repos
                                .events()
                                .append(
                                    Event.of(
                                        created, "tenant.created", created.value(), "{}", START));
                          });
                  return created;
                });

    assertThat(repos.tenants().find(tenant)).isPresent();
    assertThat(repos.events().readAfter(before, 10)).hasSize(1);
  }

  @Test
  void a_failure_in_a_nested_block_rolls_back_the_whole_transaction() {
    long before = lastSeq();

    assertThatThrownBy(
            () ->
                db.transactions()
                    .inTransaction(
                        () -> {
                          repos.events().append(Event.of(null, "outer", null, "{}", START));
                          db.transactions()
                              .inTransaction(
                                  () -> {
                                    repos
                                        .events()
                                        .append(Event.of(null, "inner", null, "{}", START));
                                    throw new IllegalArgumentException("inner failed");
                                  });
                        }))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(repos.events().readAfter(before, 10)).isEmpty();
  }

  @Test
  void concurrent_writers_all_commit_without_busy_errors() throws Exception {
    long before = lastSeq();

    race(
        16,
        () -> {
          for (int i = 0; i < 20; i++) {
            db.transactions()
                .inTransaction(
                    () -> {
                      long seq = repos.events().append(Event.of(null, "load", null, "{}", START));
                      // A read then a write in one transaction: the pattern that fails with
                      // SQLITE_BUSY when writers are not serialized.
                      repos.events().readAfter(seq - 1, 1);
                      repos.events().append(Event.of(null, "load", null, "{}", START));
                    });
          }
          return null;
        });

    assertThat(repos.events().readAfter(before, 10_000)).hasSize(16 * 20 * 2);
  }
}
