package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.server.events.Event;
import dev.courier.server.events.EventFilter;
import dev.courier.server.events.EventPage;
import dev.courier.server.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

abstract class EventsAndTransactionsContract extends StoreContract {

  private void createTenant(TenantId tenant, String namePrefix) {
    repos
        .tenants()
        .create(new dev.courier.server.tenant.Tenant(tenant, namePrefix + tenant.value(), START));
  }

  private long lastSeq() {
    return repos.events().latestSeq();
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
                          createTenant(tenant, "rolled-back-");
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

  private static EventFilter agent(TenantId tenant, String agentId) {
    return new EventFilter(tenant, null, agentId, null, null);
  }

  private static Event commandFor(TenantId tenant, String command, String agent, String rollout) {
    String payload =
        "{\"command_id\": \""
            + command
            + "\", \"agent_id\": \""
            + agent
            + "\""
            + (rollout == null ? "" : ", \"rollout_id\": \"" + rollout + "\"")
            + "}";
    return Event.of(tenant, "command.requested", command, payload, START);
  }

  private static Event agentEvent(TenantId tenant, String type, String agent) {
    return Event.of(tenant, type, agent, "{\"agent_id\": \"" + agent + "\"}", START);
  }

  /** Reads on from where each read stopped until the outbox has nothing newer, as a stream does. */
  private List<Event> readAll(long after, EventFilter filter, int limit) {
    List<Event> read = new ArrayList<>();
    EventPage page;
    long from = after;
    do {
      page = repos.events().readAfter(from, filter, limit);
      assertThat(page.through()).isGreaterThanOrEqualTo(from);
      read.addAll(page.events());
      from = page.through();
    } while (page.more());
    return read;
  }

  @Test
  void an_agent_filtered_read_returns_only_that_agents_events_and_moves_past_the_others() {
    TenantId tenant = fixtures.tenant();
    long before = lastSeq();
    long online = repos.events().append(agentEvent(tenant, "agent.online", "ours"));
    repos.events().append(agentEvent(tenant, "agent.online", "theirs"));
    long ourCommand = repos.events().append(commandFor(tenant, "c-ours", "ours", null));
    repos.events().append(commandFor(tenant, "c-theirs", "theirs", null));
    long newest = repos.events().append(Event.of(tenant, "agent.offline", "theirs", "{}", START));

    EventPage page = repos.events().readAfter(before, agent(tenant, "ours"), 10);

    assertThat(page.events()).extracting(Event::seq).containsExactly(online, ourCommand);
    assertThat(page.events().getLast().subjectId()).isEqualTo("c-ours");
    assertSameJson(
        page.events().getLast().payloadJson(),
        commandFor(tenant, "c-ours", "ours", null).payloadJson());
    assertThat(page.through()).as("past the other agent's last event").isEqualTo(newest);
    assertThat(page.more()).isFalse();
    assertThat(repos.events().readAfter(newest, agent(tenant, "ours"), 10).events()).isEmpty();
  }

  @Test
  void an_event_after_many_filtered_out_ones_is_found_and_the_read_ends_past_it() {
    TenantId tenant = fixtures.tenant();
    long before = lastSeq();
    List<Event> others = new ArrayList<>();
    for (int i = 0; i < 2 * JdbcEventOutbox.SCAN + 500; i++) {
      others.add(commandFor(tenant, "c-other-" + i, "other-" + (i % 7), null));
    }
    long first = repos.events().append(commandFor(tenant, "c-first", "ours", null));
    repos.events().appendAll(others);
    long second = repos.events().append(commandFor(tenant, "c-second", "ours", null));
    repos.events().appendAll(others.subList(0, 3));
    long newest = lastSeq();

    EventPage one = repos.events().readAfter(before, agent(tenant, "ours"), 1);
    assertThat(one.events()).extracting(Event::seq).containsExactly(first);
    assertThat(one.through()).isEqualTo(first);
    assertThat(one.more()).isTrue();

    assertThat(readAll(before, agent(tenant, "ours"), 1))
        .extracting(Event::seq)
        .containsExactly(first, second);
    assertThat(readAll(before, agent(tenant, "ours"), 500))
        .extracting(Event::seq)
        .containsExactly(first, second);
    EventPage last = repos.events().readAfter(second, agent(tenant, "ours"), 500);
    assertThat(last.events()).isEmpty();
    assertThat(last.through()).isEqualTo(newest);
    assertThat(last.more()).isFalse();
  }

  @Test
  void an_unfiltered_read_of_a_whole_range_says_it_is_complete() {
    // Starting at an event rather than the newest number: a rolled-back insert of another test
    // may have taken a number after it on PostgreSQL.
    long before = repos.events().append(Event.of(null, "server.started", null, "{}", START));
    repos.events().append(Event.of(null, "server.started", null, "{}", START));
    long newest = repos.events().append(Event.of(null, "server.started", null, "{}", START));

    EventPage page = repos.events().readAfter(before, EventFilter.ALL, 10);

    assertThat(page.events()).hasSize(2);
    assertThat(page.through()).isEqualTo(newest);
    assertThat(page.complete()).isTrue();
    assertThat(page.more()).isFalse();
  }

  @Test
  void tenant_type_command_and_rollout_filters_select_what_they_name() {
    TenantId tenant = fixtures.tenant();
    TenantId other = fixtures.tenant();
    long before = lastSeq();
    long online = repos.events().append(agentEvent(tenant, "agent.online", "a1"));
    long plain = repos.events().append(commandFor(tenant, "c1", "a1", null));
    long inRollout = repos.events().append(commandFor(tenant, "c2", "a1", "r1"));
    long rollout =
        repos
            .events()
            .append(Event.of(tenant, "rollout.created", "r1", "{\"rollout_id\": \"r1\"}", START));
    long lookalike = repos.events().append(Event.of(tenant, "commander.x", "c1", "{}", START));
    repos.events().append(commandFor(other, "c3", "a1", "r1"));
    repos.events().append(Event.of(null, "server.started", null, "{}", START));

    assertThat(readAll(before, new EventFilter(tenant, null, null, null, null), 10))
        .extracting(Event::seq)
        .containsExactly(online, plain, inRollout, rollout, lookalike);
    assertThat(readAll(before, new EventFilter(tenant, Set.of("command.*"), null, null, null), 10))
        .extracting(Event::seq)
        .containsExactly(plain, inRollout);
    assertThat(
            readAll(
                before,
                new EventFilter(
                    tenant, Set.of("agent.online", "rollout.*", "agent"), null, null, null),
                10))
        .extracting(Event::seq)
        .containsExactly(online, rollout);
    assertThat(readAll(before, new EventFilter(tenant, null, null, "c1", null), 10))
        .extracting(Event::seq)
        .containsExactly(plain);
    assertThat(readAll(before, new EventFilter(tenant, null, null, null, "r1"), 10))
        .extracting(Event::seq)
        .containsExactly(inRollout, rollout);
    assertThat(readAll(before, new EventFilter(null, null, null, null, "r1"), 10))
        .as("every tenant's")
        .hasSize(3);
    assertThat(readAll(before, EventFilter.ALL, 10)).hasSize(7);
  }

  @Test
  void every_after_commit_task_runs_even_when_an_earlier_one_fails() {
    TenantId tenant = TenantId.random();
    List<String> ran = new ArrayList<>();

    assertThatThrownBy(
            () ->
                db.transactions()
                    .inTransaction(
                        () -> {
                          createTenant(tenant, "after-commit-");
                          db.transactions().afterCommit(() -> ran.add("first"));
                          db.transactions()
                              .afterCommit(
                                  () -> {
                                    throw new IllegalStateException("push failed");
                                  });
                          db.transactions().afterCommit(() -> ran.add("third"));
                        }))
        .hasMessage("push failed");

    assertThat(ran).containsExactly("first", "third");
    assertThat(repos.tenants().find(tenant)).as("the change committed").isPresent();
  }
}
