package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.Priority;
import dev.courier.server.command.Command;
import dev.courier.server.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

abstract class CommandClaimContract extends StoreContract {
  TenantId tenant;
  AgentId agent;

  @BeforeEach
  void newAgent() {
    tenant = fixtures.tenant();
    agent = fixtures.agent(tenant);
  }

  @Test
  void claim_returns_critical_before_older_normal_commands() {
    Command olderNormal = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    Command newerCritical =
        fixtures.pending(tenant, agent, Priority.CRITICAL, START.plusSeconds(5));
    Command newerLow = fixtures.pending(tenant, agent, Priority.LOW, START.plusSeconds(6));

    List<Command> claimed = repos.commands().claimPending(agent, 10, START.plusSeconds(10));

    assertThat(claimed)
        .extracting(Command::id)
        .containsExactly(newerCritical.id(), olderNormal.id(), newerLow.id());
  }

  @Test
  void claim_returns_older_first_within_a_priority_and_honours_the_limit() {
    Command first = fixtures.pending(tenant, agent, Priority.HIGH, START);
    Command second = fixtures.pending(tenant, agent, Priority.HIGH, START.plusMillis(1));
    fixtures.pending(tenant, agent, Priority.HIGH, START.plusMillis(2));

    List<Command> claimed = repos.commands().claimPending(agent, 2, START.plusSeconds(1));

    assertThat(claimed).extracting(Command::id).containsExactly(first.id(), second.id());
  }

  @Test
  void claim_only_returns_this_agents_pending_commands() {
    AgentId otherAgent = fixtures.agent(tenant);
    fixtures.pending(tenant, otherAgent, Priority.CRITICAL, START);
    Command alreadyRunning = fixtures.pending(tenant, agent, Priority.CRITICAL, START);
    repos
        .commands()
        .transition(
            alreadyRunning.id(), Set.of(CommandStatus.PENDING), CommandStatus.RUNNING, START);
    Command mine = fixtures.pending(tenant, agent, Priority.LOW, START);

    List<Command> claimed = repos.commands().claimPending(agent, 10, START.plusSeconds(1));

    assertThat(claimed).extracting(Command::id).containsExactly(mine.id());
  }

  @Test
  void find_cancelling_lists_commands_awaiting_a_cancel_confirmation_longest_accepted_first() {
    Command later = cancelling(agent, START.plusSeconds(2));
    Command earlier = cancelling(agent, START.plusSeconds(1));
    AgentId otherAgent = fixtures.agent(tenant);
    Command others = cancelling(otherAgent, START.plusSeconds(3));
    fixtures.pending(tenant, agent, Priority.NORMAL, START);
    Command accepted = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    repos
        .commands()
        .transition(accepted.id(), Set.of(CommandStatus.PENDING), CommandStatus.ACCEPTED, START);

    assertThat(repos.commands().findCancelling(agent, 10))
        .extracting(Command::id)
        .containsExactly(earlier.id(), later.id());
    assertThat(repos.commands().findCancelling(agent, 1))
        .extracting(Command::id)
        .containsExactly(earlier.id());
    assertThat(repos.commands().findCancelling(null, 100))
        .extracting(Command::id)
        .containsSubsequence(earlier.id(), later.id(), others.id())
        .doesNotContain(accepted.id());
  }

  private Command cancelling(AgentId owner, java.time.Instant acceptedAt) {
    Command command = fixtures.pending(tenant, owner, Priority.NORMAL, START);
    repos
        .commands()
        .transition(
            command.id(), Set.of(CommandStatus.PENDING), CommandStatus.ACCEPTED, acceptedAt);
    repos
        .commands()
        .transition(
            command.id(),
            Set.of(CommandStatus.ACCEPTED),
            CommandStatus.CANCELLING,
            acceptedAt.plusMillis(1));
    return command;
  }

  @Test
  void claim_skips_commands_past_their_expiry() {
    Command expiring =
        fixtures.expiring(tenant, agent, Priority.CRITICAL, START, START.plusSeconds(60));
    Command fresh = fixtures.pending(tenant, agent, Priority.LOW, START);

    List<Command> claimed = repos.commands().claimPending(agent, 10, START.plusSeconds(61));

    assertThat(claimed).extracting(Command::id).containsExactly(fresh.id());
  }

  @Test
  void claimed_commands_are_accepted_with_one_attempt_and_not_claimed_again() {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START);

    List<Command> claimed = repos.commands().claimPending(agent, 10, START.plusSeconds(3));

    assertThat(claimed)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.status()).isEqualTo(CommandStatus.ACCEPTED);
              assertThat(c.attempt()).isEqualTo(1);
              assertThat(c.acceptedAt()).isEqualTo(START.plusSeconds(3));
            });
    assertThat(repos.commands().find(command.id()).orElseThrow().status())
        .isEqualTo(CommandStatus.ACCEPTED);
    assertThat(repos.commands().claimPending(agent, 10, START.plusSeconds(4))).isEmpty();
  }

  @Test
  void find_pending_lists_in_delivery_order_without_claiming() {
    Command normal = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    Command high = fixtures.pending(tenant, agent, Priority.HIGH, START.plusSeconds(1));

    List<Command> pending = repos.commands().findPending(agent, 10, START.plusSeconds(2));

    assertThat(pending).extracting(Command::id).containsExactly(high.id(), normal.id());
    assertThat(repos.commands().find(normal.id()).orElseThrow().status())
        .isEqualTo(CommandStatus.PENDING);
  }

  @Test
  void concurrent_claims_hand_each_command_out_exactly_once() throws Exception {
    List<Command> commands = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      commands.add(fixtures.command(tenant, agent, Priority.NORMAL, START.plusMillis(i)));
    }
    repos.commands().insertAll(commands);

    List<List<CommandId>> perClaimer =
        race(
            8,
            () -> {
              List<CommandId> mine = new ArrayList<>();
              List<Command> batch;
              do {
                batch = repos.commands().claimPending(agent, 4, START.plusSeconds(1));
                batch.forEach(c -> mine.add(c.id()));
              } while (!batch.isEmpty());
              return mine;
            });

    List<CommandId> all = perClaimer.stream().flatMap(List::stream).toList();
    assertThat(all)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(commands.stream().map(Command::id).toList());
  }
}
