package dev.courier.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class CommandStatusTest {

  @ParameterizedTest
  @CsvSource({
    "requested, PENDING",
    "acknowledged, ACCEPTED",
    "succeeded, COMPLETED",
    "success, COMPLETED",
    "error, FAILED",
    "timeout, TIMED_OUT",
    "Timed_Out, TIMED_OUT",
    "cancelled, CANCELLED"
  })
  void seed_aliases_and_canonical_names_map_to_one_status(String wire, CommandStatus expected) {
    assertThat(CommandStatus.fromWire(wire)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(CommandStatus.class)
  void every_status_parses_back_from_its_wire_name(CommandStatus status) {
    assertThat(CommandStatus.fromWire(status.wireName())).isEqualTo(status);
  }

  @ParameterizedTest
  @EnumSource(
      value = CommandStatus.class,
      names = {"COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED"})
  void only_final_outcomes_are_result_statuses(CommandStatus status) {
    assertThat(status.isResult()).isTrue();
    assertThat(status.isTerminal()).isTrue();
  }

  @org.junit.jupiter.api.Test
  void unknown_names_are_refused() {
    assertThatThrownBy(() -> CommandStatus.fromWire("done"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("done");
  }
}
