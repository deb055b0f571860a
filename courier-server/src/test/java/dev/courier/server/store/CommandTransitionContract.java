package dev.courier.server.store;

import static dev.courier.protocol.CommandStatus.ACCEPTED;
import static dev.courier.protocol.CommandStatus.CANCELLED;
import static dev.courier.protocol.CommandStatus.COMPLETED;
import static dev.courier.protocol.CommandStatus.PENDING;
import static dev.courier.protocol.CommandStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.Priority;
import dev.courier.server.agent.Agent;
import dev.courier.server.command.Command;
import dev.courier.server.command.CommandEvent;
import dev.courier.server.command.CommandRepository;
import dev.courier.server.command.CommandResult;
import dev.courier.server.command.CommandTransitions;
import dev.courier.server.command.MovedCommand;
import dev.courier.server.common.GroupCommit;
import dev.courier.server.events.Event;
import dev.courier.server.tenant.TenantId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

abstract class CommandTransitionContract extends StoreContract {
  TenantId tenant;
  AgentId agent;

  @BeforeEach
  void newAgent() {
    tenant = fixtures.tenant();
    agent = fixtures.agent(tenant);
  }

  @Test
  void transition_happens_only_from_an_allowed_status() {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START);

    boolean fromWrongState =
        repos.commands().transition(command.id(), Set.of(RUNNING), COMPLETED, START);
    boolean fromPending =
        repos.commands().transition(command.id(), Set.of(PENDING), CANCELLED, START);

    assertThat(fromWrongState).isFalse();
    assertThat(fromPending).isTrue();
    Command stored = repos.commands().find(command.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(CANCELLED);
    assertThat(stored.completedAt()).isEqualTo(START);
  }

  @Test
  void exactly_one_of_eight_racing_transitions_wins() throws Exception {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    AtomicInteger turn = new AtomicInteger();

    List<Boolean> outcomes =
        race(
            8,
            () -> {
              // Half try to cancel, half to accept: both leave pending, only one may.
              CommandStatus to = turn.getAndIncrement() % 2 == 0 ? CANCELLED : ACCEPTED;
              return repos.commands().transition(command.id(), Set.of(PENDING), to, START);
            });

    assertThat(outcomes.stream().filter(won -> won)).hasSize(1);
  }

  @Test
  void moves_through_the_lifecycle_setting_each_timestamp_once() {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START);

    repos.commands().transition(command.id(), Set.of(PENDING), ACCEPTED, START.plusSeconds(1));
    repos.commands().transition(command.id(), Set.of(ACCEPTED), RUNNING, START.plusSeconds(2));

    Command running = repos.commands().find(command.id()).orElseThrow();
    assertThat(running.status()).isEqualTo(RUNNING);
    assertThat(running.attempt()).isEqualTo(1);
    assertThat(running.acceptedAt()).isEqualTo(START.plusSeconds(1));
    assertThat(running.startedAt()).isEqualTo(START.plusSeconds(2));
    assertThat(running.completedAt()).isNull();
    assertThat(running.updatedAt()).isEqualTo(START.plusSeconds(2));
  }

  @Test
  void a_final_transition_stores_the_result_and_the_error() {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    CommandResult result =
        new CommandResult(
            "error",
            2,
            Duration.ofMillis(1234),
            "2 findings",
            2,
            "{\"scanner\": \"trivy\"}",
            "line1\nline2",
            true);

    boolean won =
        repos
            .commands()
            .transition(
                command.id(),
                Set.of(PENDING, ACCEPTED, RUNNING),
                CommandStatus.FAILED,
                START.plusSeconds(9),
                result,
                "exit code 2");

    assertThat(won).isTrue();
    Command failed = repos.commands().find(command.id()).orElseThrow();
    assertThat(failed.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(failed.completedAt()).isEqualTo(START.plusSeconds(9));
    assertThat(failed.error()).isEqualTo("exit code 2");
    assertThat(failed.result().status()).isEqualTo("error");
    assertThat(failed.result().exitCode()).isEqualTo(2);
    assertThat(failed.result().duration()).isEqualTo(Duration.ofMillis(1234));
    assertThat(failed.result().summary()).isEqualTo("2 findings");
    assertThat(failed.result().findingsCount()).isEqualTo(2);
    assertSameJson(failed.result().metadataJson(), "{\"scanner\":\"trivy\"}");
    assertThat(failed.result().output()).isEqualTo("line1\nline2");
    assertThat(failed.result().outputTruncated()).isTrue();
  }

  @Test
  void a_result_reported_twice_is_stored_once() {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    CommandResult first = new CommandResult("success", 0, null, "first", null, null, "a", false);
    CommandResult second = new CommandResult("success", 0, null, "second", null, null, "b", false);

    boolean firstWon =
        repos.commands().transition(command.id(), Set.of(PENDING), COMPLETED, START, first, null);
    boolean secondWon =
        repos.commands().transition(command.id(), Set.of(PENDING), COMPLETED, START, second, null);

    assertThat(firstWon).isTrue();
    assertThat(secondWon).isFalse();
    assertThat(repos.commands().find(command.id()).orElseThrow().result().summary())
        .isEqualTo("first");
  }

  @Test
  void a_move_answers_with_whose_command_it_moved_and_the_status_it_left() {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    repos.commands().transition(command.id(), Set.of(PENDING), ACCEPTED, START);
    repos.commands().transition(command.id(), Set.of(ACCEPTED), RUNNING, START);

    Optional<MovedCommand> moved =
        repos
            .commands()
            .move(
                command.id(),
                agent,
                Set.of(ACCEPTED, RUNNING, CommandStatus.CANCELLING),
                COMPLETED,
                START.plusSeconds(3),
                null,
                null);

    assertThat(moved)
        .contains(new MovedCommand(command.id(), tenant, agent, "echo", null, RUNNING));
    assertThat(repos.commands().find(command.id()).orElseThrow().status()).isEqualTo(COMPLETED);
  }

  @Test
  void a_move_addressed_to_another_agent_changes_nothing() {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    AgentId other = fixtures.agent(tenant);

    Optional<MovedCommand> moved =
        repos.commands().move(command.id(), other, Set.of(PENDING), ACCEPTED, START, null, null);

    assertThat(moved).isEmpty();
    assertThat(repos.commands().find(command.id()).orElseThrow().status()).isEqualTo(PENDING);
  }

  @Test
  void a_command_is_accepted_only_before_its_expiry() {
    Command command =
        fixtures.expiring(tenant, agent, Priority.NORMAL, START, START.plusSeconds(10));

    boolean acceptedAtExpiry =
        repos.commands().transition(command.id(), Set.of(PENDING), ACCEPTED, START.plusSeconds(10));
    boolean acceptedBefore =
        repos.commands().transition(command.id(), Set.of(PENDING), ACCEPTED, START.plusSeconds(9));

    assertThat(acceptedAtExpiry).isFalse();
    assertThat(acceptedBefore).isTrue();
  }

  @Test
  void a_batchs_transition_events_are_written_once_and_in_order_when_the_batch_is_run_again()
      throws Exception {
    Command first = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    Command second = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    long before = repos.events().latestSeq();
    CommandTransitions transitions = transitions();

    runInOneBatch(
        true,
        () -> transitions.applyFor(agent, first.id(), CommandEvent.ACCEPT, START),
        () -> transitions.applyFor(agent, second.id(), CommandEvent.ACCEPT, START));

    assertThat(repos.events().readAfter(before, 10))
        .extracting(Event::type, Event::subjectId)
        .containsExactly(
            tuple("command.accepted", first.id().value()),
            tuple("command.accepted", second.id().value()));
  }

  @Test
  void a_batchs_later_moves_of_a_command_are_written_with_every_timestamp_and_event()
      throws Exception {
    acceptStartAndCompleteInOneBatch(false);
  }

  @Test
  void a_batchs_later_moves_of_a_command_are_written_once_when_the_batch_is_run_again()
      throws Exception {
    acceptStartAndCompleteInOneBatch(true);
  }

  private void acceptStartAndCompleteInOneBatch(boolean failInTheMiddle) throws Exception {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    long before = repos.events().latestSeq();
    CommandTransitions transitions = transitions();
    CommandResult result =
        new CommandResult("completed", 0, Duration.ofMillis(5), "ok", null, null, "out", false);

    runInOneBatch(
        failInTheMiddle,
        () -> transitions.applyFor(agent, command.id(), CommandEvent.ACCEPT, START),
        () -> transitions.applyFor(agent, command.id(), CommandEvent.START, START.plusSeconds(1)),
        () ->
            transitions.applyFor(
                agent, command.id(), CommandEvent.COMPLETE, START.plusSeconds(2), result, null));

    Command stored = repos.commands().find(command.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(COMPLETED);
    assertThat(stored.attempt()).isEqualTo(1);
    assertThat(stored.acceptedAt()).isEqualTo(START);
    assertThat(stored.startedAt()).isEqualTo(START.plusSeconds(1));
    assertThat(stored.completedAt()).isEqualTo(START.plusSeconds(2));
    assertThat(stored.updatedAt()).isEqualTo(START.plusSeconds(2));
    assertThat(stored.result().summary()).isEqualTo("ok");
    assertThat(stored.result().output()).isEqualTo("out");
    assertThat(repos.events().readAfter(before, 10))
        .extracting(Event::type)
        .containsExactly("command.accepted", "command.running", "command.completed");
    assertThat(repos.agents().find(agent).orElseThrow().commandsCompleted()).isEqualTo(1);
  }

  @Test
  void a_refused_move_in_a_batch_leaves_the_batchs_earlier_moves_readable() throws Exception {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    CommandTransitions transitions = transitions();
    List<Object> seenAfterRefusal = new ArrayList<>();

    runInOneBatch(
        false,
        () -> transitions.applyFor(agent, command.id(), CommandEvent.ACCEPT, START),
        () -> transitions.applyFor(agent, command.id(), CommandEvent.START, START.plusSeconds(1)),
        () -> {
          // The caller of a refused move reads the row to say why (CommandDelivery.owned).
          seenAfterRefusal.add(
              transitions.applyFor(agent, command.id(), CommandEvent.ACCEPT, START.plusSeconds(2)));
          seenAfterRefusal.add(repos.commands().find(command.id()).orElseThrow().status());
          return null;
        });

    assertThat(seenAfterRefusal).containsExactly(Optional.empty(), RUNNING);
  }

  @Test
  void a_batchs_move_of_another_agents_held_command_changes_nothing() throws Exception {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    AgentId other = fixtures.agent(tenant);
    CommandTransitions transitions = transitions();
    List<Optional<CommandStatus>> outcomes = new ArrayList<>();

    runInOneBatch(
        false,
        () -> outcomes.add(transitions.applyFor(agent, command.id(), CommandEvent.ACCEPT, START)),
        () -> outcomes.add(transitions.applyFor(other, command.id(), CommandEvent.START, START)));

    assertThat(outcomes).containsExactly(Optional.of(ACCEPTED), Optional.empty());
    assertThat(repos.commands().find(command.id()).orElseThrow().status()).isEqualTo(ACCEPTED);
  }

  @Test
  void a_batch_moves_a_command_it_did_not_accept_from_the_status_it_reads() throws Exception {
    Command running = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    repos.commands().transition(running.id(), Set.of(PENDING), ACCEPTED, START);
    Command pending = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    CommandTransitions transitions = transitions();
    List<Optional<CommandStatus>> outcomes = new ArrayList<>();

    runInOneBatch(
        false,
        () -> outcomes.add(transitions.applyFor(agent, running.id(), CommandEvent.START, START)),
        () -> outcomes.add(transitions.applyFor(agent, pending.id(), CommandEvent.START, START)),
        () ->
            outcomes.add(
                transitions.applyFor(agent, CommandId.of("cmd_none"), CommandEvent.START, START)));

    assertThat(outcomes).containsExactly(Optional.of(RUNNING), Optional.empty(), Optional.empty());
    assertThat(repos.commands().find(running.id()).orElseThrow().startedAt()).isEqualTo(START);
    assertThat(repos.commands().find(pending.id()).orElseThrow().status()).isEqualTo(PENDING);
  }

  @Test
  void an_acceptance_in_a_batch_sees_the_batchs_earlier_move_of_the_command() throws Exception {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    CommandTransitions transitions = transitions();
    List<Optional<CommandStatus>> outcomes = new ArrayList<>();

    runInOneBatch(
        false,
        () -> outcomes.add(transitions.applyFor(agent, command.id(), CommandEvent.CANCEL, START)),
        () -> outcomes.add(transitions.applyFor(agent, command.id(), CommandEvent.ACCEPT, START)));

    assertThat(outcomes).containsExactly(Optional.of(CANCELLED), Optional.empty());
    assertThat(repos.commands().find(command.id()).orElseThrow().status()).isEqualTo(CANCELLED);
  }

  @Test
  void a_later_batch_moves_a_command_an_earlier_batch_accepted_through_to_its_result()
      throws Exception {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    AtomicInteger reads = new AtomicInteger();
    CommandRepository counted =
        (CommandRepository)
            Proxy.newProxyInstance(
                CommandRepository.class.getClassLoader(),
                new Class<?>[] {CommandRepository.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("lockForMove")) {
                    reads.incrementAndGet();
                  }
                  try {
                    return method.invoke(repos.commands(), args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    CommandTransitions transitions =
        new CommandTransitions(
            db.transactions(), counted, repos.events(), repos.agents(), new ObjectMapper());
    CommandResult result =
        new CommandResult("completed", 0, Duration.ofMillis(5), "ok", null, null, null, false);
    List<Optional<CommandStatus>> outcomes = new ArrayList<>();

    runInOneBatch(
        false,
        () -> outcomes.add(transitions.applyFor(agent, command.id(), CommandEvent.ACCEPT, START)));
    runInOneBatch(
        false,
        () ->
            outcomes.add(
                transitions.applyFor(
                    agent, command.id(), CommandEvent.START, START.plusSeconds(1))),
        () ->
            outcomes.add(
                transitions.applyFor(
                    agent,
                    command.id(),
                    CommandEvent.COMPLETE,
                    START.plusSeconds(2),
                    result,
                    null)));

    assertThat(outcomes)
        .containsExactly(Optional.of(ACCEPTED), Optional.of(RUNNING), Optional.of(COMPLETED));
    Command stored = repos.commands().find(command.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(COMPLETED);
    assertThat(stored.startedAt()).isEqualTo(START.plusSeconds(1));
    assertThat(stored.completedAt()).isEqualTo(START.plusSeconds(2));
    assertThat(eventTypesOf(command))
        .containsExactly("command.accepted", "command.running", "command.completed");
    assertThat(reads).as("rows read and locked for a move").hasValue(0);
  }

  @Test
  void a_command_moved_elsewhere_since_a_batch_accepted_it_is_moved_from_its_real_status()
      throws Exception {
    CommandTransitions transitions = transitions();
    Command command = acceptedInABatchOf(transitions);

    // Another node (its own transitions) asks for a cancel meanwhile: the command is cancelling.
    transitions()
        .apply(
            repos.commands().find(command.id()).orElseThrow(),
            CommandEvent.CANCEL,
            START.plusSeconds(1));
    // The batch runs again when its write finds the row moved: the last outcome is the one kept.
    AtomicReference<Optional<CommandStatus>> started = new AtomicReference<>();
    runInOneBatch(
        false,
        () -> {
          started.set(
              transitions.applyFor(agent, command.id(), CommandEvent.START, START.plusSeconds(2)));
          return null;
        });

    assertThat(started.get()).isEmpty();
    assertThat(repos.commands().find(command.id()).orElseThrow().status())
        .isEqualTo(CommandStatus.CANCELLING);
    assertThat(eventTypesOf(command)).containsExactly("command.accepted", "command.cancelling");
  }

  @Test
  void a_move_refused_from_the_status_remembered_is_refused_only_if_the_row_refuses_it_too()
      throws Exception {
    CommandTransitions transitions = transitions();
    Command command = acceptedInABatchOf(transitions);
    runInOneBatch(
        false, () -> transitions.applyFor(agent, command.id(), CommandEvent.START, START));
    List<Optional<CommandStatus>> outcomes = new ArrayList<>();

    runInOneBatch(
        false,
        () ->
            outcomes.add(
                transitions.applyFor(
                    agent, command.id(), CommandEvent.START, START.plusSeconds(1))));

    assertThat(outcomes).containsExactly(Optional.empty());
    assertThat(repos.commands().find(command.id()).orElseThrow().startedAt()).isEqualTo(START);
  }

  /** A new command of the agent, accepted in a batch of {@code transitions}, which remember it. */
  private Command acceptedInABatchOf(CommandTransitions transitions) throws Exception {
    Command command = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    runInOneBatch(
        false, () -> transitions.applyFor(agent, command.id(), CommandEvent.ACCEPT, START));
    return command;
  }

  private List<String> eventTypesOf(Command command) {
    return repos.events().readAfter(0, 100).stream()
        .filter(event -> command.id().value().equals(event.subjectId()))
        .map(Event::type)
        .toList();
  }

  @Test
  void a_batchs_finished_commands_are_summed_on_their_agent() throws Exception {
    countsAfterABatchOfTwoCompletedAndOneFailed(false);
  }

  @Test
  void a_batchs_finished_commands_are_counted_on_their_agent_once_when_the_batch_is_run_again()
      throws Exception {
    countsAfterABatchOfTwoCompletedAndOneFailed(true);
  }

  private void countsAfterABatchOfTwoCompletedAndOneFailed(boolean failInTheMiddle)
      throws Exception {
    Command first = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    Command second = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    Command third = fixtures.pending(tenant, agent, Priority.NORMAL, START);
    for (Command command : List.of(first, second, third)) {
      repos.commands().transition(command.id(), Set.of(PENDING), RUNNING, START);
    }
    CommandTransitions transitions = transitions();
    CommandResult result =
        new CommandResult("completed", 0, Duration.ofMillis(5), "ok", null, null, null, false);
    CommandResult failure =
        new CommandResult("failed", 1, Duration.ofMillis(5), "no", null, null, null, false);

    runInOneBatch(
        failInTheMiddle,
        () -> transitions.applyFor(agent, first.id(), CommandEvent.COMPLETE, START, result, null),
        () -> transitions.applyFor(agent, second.id(), CommandEvent.FAIL, START, failure, null),
        () -> transitions.applyFor(agent, third.id(), CommandEvent.COMPLETE, START, result, null));

    Agent counted = repos.agents().find(agent).orElseThrow();
    assertThat(counted.commandsCompleted()).isEqualTo(2);
    assertThat(counted.commandsFailed()).isEqualTo(1);
  }

  private CommandTransitions transitions() {
    return new CommandTransitions(
        db.transactions(), repos.commands(), repos.events(), repos.agents(), new ObjectMapper());
  }

  /**
   * Runs {@code items} in one group commit batch; with {@code failInTheMiddle} a storage failure
   * after the first rolls the batch back, and every item then runs again alone.
   */
  @SafeVarargs
  private void runInOneBatch(boolean failInTheMiddle, Supplier<?>... items) throws Exception {
    CountDownLatch writerBusy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (GroupCommit writes = db.database().openGroupCommit(e -> false)) {
      writes.submit(
          agent,
          () -> {
            writerBusy.countDown();
            awaitQuietly(release);
            return null;
          });
      writerBusy.await(10, TimeUnit.SECONDS);
      // Queued while the writer is busy, so they make up its next batch.
      List<CompletableFuture<?>> done = new ArrayList<>();
      List<CompletableFuture<?>> failing = new ArrayList<>();
      done.add(writes.submit(agent, items[0]));
      if (failInTheMiddle) {
        failing.add(
            writes.submit(
                agent,
                () -> {
                  throw new IllegalStateException("the storage failed");
                }));
      }
      for (int i = 1; i < items.length; i++) {
        done.add(writes.submit(agent, items[i]));
      }
      release.countDown();

      for (CompletableFuture<?> item : done) {
        item.get(10, TimeUnit.SECONDS);
      }
      for (CompletableFuture<?> item : failing) {
        assertThat(item).failsWithin(Duration.ofSeconds(10));
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
