package dev.courier.server.command;

import static dev.courier.protocol.CommandStatus.ACCEPTED;
import static dev.courier.protocol.CommandStatus.CANCELLED;
import static dev.courier.protocol.CommandStatus.CANCELLING;
import static dev.courier.protocol.CommandStatus.COMPLETED;
import static dev.courier.protocol.CommandStatus.EXPIRED;
import static dev.courier.protocol.CommandStatus.FAILED;
import static dev.courier.protocol.CommandStatus.PENDING;
import static dev.courier.protocol.CommandStatus.RUNNING;
import static dev.courier.protocol.CommandStatus.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.protocol.CommandStatus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class CommandLifecycleTest {

  /** The whole expected table: every (state, event) pair not listed here must be refused. */
  private static final Map<CommandStatus, Map<CommandEvent, CommandStatus>> EXPECTED =
      Map.of(
          PENDING,
          Map.of(
              CommandEvent.ACCEPT, ACCEPTED,
              CommandEvent.CANCEL, CANCELLED,
              CommandEvent.EXPIRE, EXPIRED,
              CommandEvent.FAIL, FAILED),
          ACCEPTED,
          Map.of(
              CommandEvent.START, RUNNING,
              CommandEvent.COMPLETE, COMPLETED,
              CommandEvent.FAIL, FAILED,
              CommandEvent.TIME_OUT, TIMED_OUT,
              CommandEvent.CANCEL, CANCELLING,
              CommandEvent.CONFIRM_CANCELLED, CANCELLED),
          RUNNING,
          Map.of(
              CommandEvent.COMPLETE, COMPLETED,
              CommandEvent.FAIL, FAILED,
              CommandEvent.TIME_OUT, TIMED_OUT,
              CommandEvent.CANCEL, CANCELLING,
              CommandEvent.CONFIRM_CANCELLED, CANCELLED),
          CANCELLING,
          Map.of(
              CommandEvent.COMPLETE, COMPLETED,
              CommandEvent.FAIL, FAILED,
              CommandEvent.TIME_OUT, TIMED_OUT,
              CommandEvent.CONFIRM_CANCELLED, CANCELLED));

  static Stream<Arguments> every_state_and_event() {
    return Stream.of(CommandStatus.values())
        .flatMap(s -> Stream.of(CommandEvent.values()).map(e -> Arguments.of(s, e)));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("every_state_and_event")
  void each_state_reacts_to_each_event_exactly_as_the_design_table_says(
      CommandStatus state, CommandEvent event) {
    CommandStatus expected = EXPECTED.getOrDefault(state, Map.of()).get(event);

    assertThat(CommandLifecycle.next(state, event))
        .isEqualTo(java.util.Optional.ofNullable(expected));
  }

  @ParameterizedTest
  @EnumSource(
      value = CommandStatus.class,
      names = {"COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED", "EXPIRED"})
  void terminal_states_never_change(CommandStatus terminal) {
    assertThat(terminal.isTerminal()).isTrue();
    for (CommandEvent event : CommandEvent.values()) {
      assertThat(CommandLifecycle.next(terminal, event)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(CommandEvent.class)
  void guarded_update_sources_agree_with_the_table(CommandEvent event) {
    CommandLifecycle.transitions(event)
        .forEach(
            (target, sources) -> {
              for (CommandStatus state : CommandStatus.values()) {
                boolean allowed = sources.contains(state);
                assertThat(CommandLifecycle.next(state, event).filter(target::equals).isPresent())
                    .as("%s --%s--> %s", state, event, target)
                    .isEqualTo(allowed);
              }
            });
  }

  @Test
  void cancel_ends_pending_at_once_and_asks_accepted_or_running_to_stop() {
    assertThat(CommandLifecycle.transitions(CommandEvent.CANCEL))
        .isEqualTo(Map.of(CANCELLED, Set.of(PENDING), CANCELLING, EnumSet.of(ACCEPTED, RUNNING)));
  }

  @Test
  void each_reported_result_status_maps_to_its_event() {
    assertThat(CommandLifecycle.resultEvent(COMPLETED)).isEqualTo(CommandEvent.COMPLETE);
    assertThat(CommandLifecycle.resultEvent(FAILED)).isEqualTo(CommandEvent.FAIL);
    assertThat(CommandLifecycle.resultEvent(TIMED_OUT)).isEqualTo(CommandEvent.TIME_OUT);
    assertThat(CommandLifecycle.resultEvent(CANCELLED)).isEqualTo(CommandEvent.CONFIRM_CANCELLED);
    assertThatThrownBy(() -> CommandLifecycle.resultEvent(RUNNING))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
