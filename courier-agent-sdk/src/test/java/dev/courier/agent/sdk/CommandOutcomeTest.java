package dev.courier.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.protocol.CommandStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CommandOutcomeTest {

  @ParameterizedTest
  @EnumSource(
      value = CommandStatus.class,
      names = {"PENDING", "ACCEPTED", "RUNNING", "CANCELLING", "EXPIRED"})
  void only_result_statuses_make_an_outcome(CommandStatus status) {
    assertThatThrownBy(() -> new CommandOutcome(status, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(status.wireName());
  }

  @Test
  void factories_fill_the_fields_they_name() {
    assertThat(CommandOutcome.completed(0, "out", null))
        .isEqualTo(new CommandOutcome(CommandStatus.COMPLETED, 0, "out", null, null, null));
    assertThat(CommandOutcome.failed(2, "out", "why").withFindingsCount(3))
        .isEqualTo(new CommandOutcome(CommandStatus.FAILED, 2, "out", "why", 3, null));
    assertThat(CommandOutcome.failed("why").error()).isEqualTo("why");
    assertThat(CommandOutcome.completed(null).status()).isEqualTo(CommandStatus.COMPLETED);
  }

  @Test
  void a_negative_findings_count_is_refused() {
    assertThatThrownBy(() -> CommandOutcome.completed(null).withFindingsCount(-1))
        .hasMessageContaining("findingsCount");
  }
}
