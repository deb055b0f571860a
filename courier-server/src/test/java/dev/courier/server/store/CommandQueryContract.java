package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.Priority;
import dev.courier.server.command.Command;
import dev.courier.server.command.CommandQuery;
import dev.courier.server.common.DuplicateKeyException;
import dev.courier.server.common.Ids;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

abstract class CommandQueryContract extends StoreContract {
  TenantId tenant;
  AgentId agent;

  @BeforeEach
  void newAgent() {
    tenant = fixtures.tenant();
    agent = fixtures.agent(tenant);
  }

  @Test
  void a_command_round_trips_every_field_with_millisecond_times() {
    Instant created = Instant.parse("2026-03-08T06:59:59.987Z");
    Command command =
        Command.pending(
                CommandId.of(Ids.newId()),
                tenant,
                agent,
                "git_pull",
                "{\"repo\": \"ops\", \"branch\": \"main\", \"depth\": 1}",
                Priority.HIGH,
                Duration.ofSeconds(90),
                created,
                created.plus(Duration.ofHours(2)))
            .withIdempotency("key-1", "sha256:abc")
            .withRequestedBy("user-7");

    repos.commands().insert(command);
    Command stored = repos.commands().find(tenant, command.id()).orElseThrow();

    assertSameJson(stored.paramsJson(), command.paramsJson());
    assertThat(stored).usingRecursiveComparison().ignoringFields("paramsJson").isEqualTo(command);
    assertThat(stored.createdAt().toEpochMilli()).isEqualTo(created.toEpochMilli());
  }

  @Test
  void instants_are_stored_at_millisecond_precision() {
    Instant withNanos = Instant.parse("2026-11-01T05:30:00.123456789Z");
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, withNanos);

    Command stored = repos.commands().find(command.id()).orElseThrow();

    assertThat(stored.createdAt()).isEqualTo(Instant.parse("2026-11-01T05:30:00.123Z"));
  }

  @Test
  void another_tenant_cannot_see_the_command() {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START);

    assertThat(repos.commands().find(fixtures.tenant(), command.id())).isEmpty();
    assertThat(repos.commands().find(command.id())).isPresent();
  }

  @Test
  void an_idempotency_key_is_unique_per_tenant() {
    Command first = fixtures.command(tenant, agent).withIdempotency("same-key", "h1");
    repos.commands().insert(first);
    TenantId otherTenant = fixtures.tenant();
    Command otherTenants =
        fixtures
            .command(otherTenant, fixtures.agent(otherTenant))
            .withIdempotency("same-key", "h2");

    repos.commands().insert(otherTenants);

    assertThatThrownBy(
            () ->
                repos
                    .commands()
                    .insert(fixtures.command(tenant, agent).withIdempotency("same-key", "h3")))
        .isInstanceOf(DuplicateKeyException.class);
    assertThat(repos.commands().findByIdempotencyKey(tenant, "same-key"))
        .map(Command::id)
        .contains(first.id());
  }

  @Test
  void cursor_pagination_returns_every_row_once_across_pages() {
    Random random = new Random(42);
    List<Command> commands = new ArrayList<>();
    for (int i = 0; i < 37; i++) {
      // Few distinct times, so many rows tie on created_at and the id must break the tie.
      Instant created = START.plusMillis(random.nextInt(5));
      commands.add(fixtures.command(tenant, agent, Priority.NORMAL, created));
    }
    repos.commands().insertAll(commands);

    List<CommandId> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Page<Command> page =
          repos.commands().list(CommandQuery.inTenant(tenant), new PageRequest(cursor, 5));
      page.items().forEach(c -> seen.add(c.id()));
      cursor = page.nextCursor().orElse(null);
      pages++;
    } while (cursor != null);

    assertThat(seen)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(commands.stream().map(Command::id).toList());
    assertThat(pages).isEqualTo(8);
  }

  @Test
  void list_is_newest_first_and_filters_by_agent_status_type_and_since() {
    AgentId otherAgent = fixtures.agent(tenant);
    Command old = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    Command recent = fixtures.pending(tenant, agent, Priority.NORMAL, START.plusSeconds(60));
    Command otherAgents = fixtures.pending(tenant, otherAgent, Priority.NORMAL, START);
    repos
        .commands()
        .transition(recent.id(), Set.of(CommandStatus.PENDING), CommandStatus.CANCELLED, START);
    PageRequest page = PageRequest.first(100);
    CommandQuery all = CommandQuery.inTenant(tenant);

    assertThat(repos.commands().list(all, page).items())
        .extracting(Command::id)
        .startsWith(recent.id())
        .containsExactlyInAnyOrder(recent.id(), old.id(), otherAgents.id());
    assertThat(repos.commands().list(all.withAgent(agent), page).items())
        .extracting(Command::id)
        .containsExactly(recent.id(), old.id());
    assertThat(repos.commands().list(all.withStatus(CommandStatus.CANCELLED), page).items())
        .extracting(Command::id)
        .containsExactly(recent.id());
    assertThat(repos.commands().list(all.withSince(START.plusSeconds(1)), page).items())
        .extracting(Command::id)
        .containsExactly(recent.id());
    assertThat(repos.commands().list(all.withType("echo"), page).items()).hasSize(3);
    assertThat(repos.commands().list(all.withType("scan"), page).items()).isEmpty();
  }

  @Test
  void expired_pending_commands_are_found_for_the_sweeper() {
    Command expiring =
        fixtures.expiring(tenant, agent, Priority.NORMAL, START, START.plusSeconds(60));

    assertThat(repos.commands().findExpiredPending(START.plusSeconds(59), 100))
        .extracting(Command::id)
        .doesNotContain(expiring.id());
    assertThat(repos.commands().findExpiredPending(START.plusSeconds(61), 100))
        .extracting(Command::id)
        .contains(expiring.id());
  }

  @Test
  void running_commands_past_timeout_and_grace_are_found_for_the_watchdog() {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START); // 60 s timeout
    repos
        .commands()
        .transition(command.id(), Set.of(CommandStatus.PENDING), CommandStatus.RUNNING, START);
    Duration grace = Duration.ofSeconds(30);

    assertThat(repos.commands().findOverdueInFlight(START.plusSeconds(89), grace, 100))
        .extracting(Command::id)
        .doesNotContain(command.id());
    assertThat(repos.commands().findOverdueInFlight(START.plusSeconds(91), grace, 100))
        .extracting(Command::id)
        .contains(command.id());
  }

  @Test
  void accepted_commands_never_started_are_overdue_from_their_acceptance() {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START); // 60 s timeout
    Instant accepted = START.plusSeconds(10);
    repos
        .commands()
        .transition(command.id(), Set.of(CommandStatus.PENDING), CommandStatus.ACCEPTED, accepted);
    Duration grace = Duration.ofSeconds(30);

    assertThat(repos.commands().findOverdueInFlight(accepted.plusSeconds(89), grace, 100))
        .extracting(Command::id)
        .doesNotContain(command.id());
    assertThat(repos.commands().findOverdueInFlight(accepted.plusSeconds(91), grace, 100))
        .extracting(Command::id)
        .contains(command.id());
  }

  @Test
  void agents_with_pending_work_older_than_a_moment_are_found_across_many_queries() {
    // More agents than one query asks about, and a last query that is not full.
    List<AgentId> agents = new ArrayList<>();
    for (int i = 0; i < JdbcCommandRepository.AGENTS_PER_QUERY + 21; i++) {
      agents.add(fixtures.agent(tenant));
    }
    Instant moment = START.plusSeconds(30);
    AgentId olderPending = agents.get(0);
    AgentId inLastQuery = agents.get(agents.size() - 1);
    AgentId onlyNewer = agents.get(1);
    AgentId onlyAccepted = agents.get(2);
    AgentId onlyExpired = agents.get(3);
    fixtures.pending(tenant, olderPending, Priority.NORMAL, START);
    fixtures.pending(tenant, inLastQuery, Priority.LOW, START);
    fixtures.pending(tenant, onlyNewer, Priority.NORMAL, moment.plusSeconds(1));
    Command accepted = fixtures.pending(tenant, onlyAccepted, Priority.NORMAL, START);
    repos
        .commands()
        .transition(accepted.id(), Set.of(CommandStatus.PENDING), CommandStatus.ACCEPTED, START);
    fixtures.expiring(tenant, onlyExpired, Priority.NORMAL, START, START.plusSeconds(40));

    assertThat(repos.commands().withPendingCreatedBefore(agents, moment, START.plusSeconds(50)))
        .containsExactlyInAnyOrder(olderPending, inLastQuery);
    assertThat(repos.commands().withPendingCreatedBefore(List.of(), moment, START)).isEmpty();
  }
}
