package dev.courier.server.command;

import static dev.courier.protocol.CommandStatus.ACCEPTED;
import static dev.courier.protocol.CommandStatus.CANCELLING;
import static dev.courier.protocol.CommandStatus.COMPLETED;
import static dev.courier.protocol.CommandStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.server.tenant.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeldCommandTest {

  private static final Instant AT = Instant.parse("2026-12-07T03:00:00Z");
  private static final AgentId AGENT = AgentId.of("agt_held");
  private static final CommandId ID = CommandId.of("cmd_held");
  private static final CommandResult RESULT =
      new CommandResult("completed", 0, null, "ok", null, null, null, false);

  private static HeldCommand acceptedBy(AgentId agent) {
    return new HeldCommand(
        new MovedCommand(
            ID, TenantId.of("ten_held"), agent, "echo", "rol_1", CommandStatus.PENDING),
        ACCEPTED);
  }

  @Test
  void moves_follow_the_lifecycle_and_answer_with_the_status_they_left() {
    HeldCommand held = acceptedBy(AGENT);

    Optional<MovedCommand> started = held.move(AGENT, CommandEvent.START, AT, null, null);
    Optional<MovedCommand> finished =
        held.move(AGENT, CommandEvent.COMPLETE, AT.plusSeconds(1), RESULT, null);

    assertThat(started).map(MovedCommand::from).contains(ACCEPTED);
    assertThat(finished).map(MovedCommand::from).contains(RUNNING);
    assertThat(finished).map(MovedCommand::rolloutId).contains("rol_1");
    assertThat(held.status()).isEqualTo(COMPLETED);
  }

  @Test
  void the_moves_since_the_last_write_become_one_write_with_each_status_entered() {
    HeldCommand held = acceptedBy(AGENT);
    held.move(AGENT, CommandEvent.START, AT, null, null);
    held.move(AGENT, CommandEvent.COMPLETE, AT.plusSeconds(1), RESULT, null);

    SettledCommand write = held.takeUnwritten().orElseThrow();

    assertThat(write.status()).isEqualTo(COMPLETED);
    assertThat(write.previous()).isEqualTo(RUNNING);
    assertThat(write.entered()).isEqualTo(Map.of(RUNNING, AT, COMPLETED, AT.plusSeconds(1)));
    assertThat(write.updatedAt()).isEqualTo(AT.plusSeconds(1));
    assertThat(write.result()).isEqualTo(RESULT);
    assertThat(held.takeUnwritten()).isEmpty();
  }

  @Test
  void a_move_its_status_does_not_allow_changes_nothing() {
    HeldCommand held = acceptedBy(AGENT);
    held.move(AGENT, CommandEvent.CANCEL, AT, null, null);

    Optional<MovedCommand> started = held.move(AGENT, CommandEvent.START, AT, null, null);

    assertThat(started).isEmpty();
    assertThat(held.status()).isEqualTo(CANCELLING);
    assertThat(held.takeUnwritten()).map(SettledCommand::status).contains(CANCELLING);
  }

  @Test
  void another_agents_move_changes_nothing() {
    HeldCommand held = acceptedBy(AGENT);

    Optional<MovedCommand> started =
        held.move(AgentId.of("agt_other"), CommandEvent.START, AT, null, null);

    assertThat(started).isEmpty();
    assertThat(held.status()).isEqualTo(ACCEPTED);
    assertThat(held.takeUnwritten()).isEmpty();
  }

  @Test
  void a_later_move_without_an_error_keeps_the_earlier_error() {
    HeldCommand held = acceptedBy(AGENT);
    held.move(AGENT, CommandEvent.CANCEL, AT, null, "cancelled by alice");
    held.move(AGENT, CommandEvent.CONFIRM_CANCELLED, AT.plusSeconds(1), RESULT, null);

    SettledCommand write = held.takeUnwritten().orElseThrow();

    assertThat(write.error()).isEqualTo("cancelled by alice");
    assertThat(write.status()).isEqualTo(CommandStatus.CANCELLED);
  }

  @Test
  void a_command_held_from_memory_checks_its_remembered_status_with_its_first_write_only() {
    HeldCommand held =
        HeldCommand.remembered(
            new MovedCommand(ID, TenantId.of("ten_held"), AGENT, "echo", null, ACCEPTED));
    held.move(AGENT, CommandEvent.START, AT, null, null);

    assertThat(held.unconfirmed()).isTrue();
    assertThat(held.takeUnwritten()).map(SettledCommand::expected).contains(ACCEPTED);
    assertThat(held.unconfirmed()).isFalse();

    held.move(AGENT, CommandEvent.COMPLETE, AT.plusSeconds(1), RESULT, null);
    assertThat(held.takeUnwritten().orElseThrow().expected()).isNull();
  }

  @Test
  void a_command_held_for_sure_expects_nothing_of_its_row() {
    HeldCommand held = acceptedBy(AGENT);
    held.move(AGENT, CommandEvent.START, AT, null, null);

    assertThat(held.unconfirmed()).isFalse();
    assertThat(held.takeUnwritten().orElseThrow().expected()).isNull();
  }
}
