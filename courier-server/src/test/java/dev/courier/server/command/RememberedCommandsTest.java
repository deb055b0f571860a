package dev.courier.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.server.tenant.TenantId;
import org.junit.jupiter.api.Test;

class RememberedCommandsTest {

  private final RememberedCommands remembered = new RememberedCommands();

  private static MovedCommand accepted(String id) {
    return new MovedCommand(
        CommandId.of(id),
        TenantId.random(),
        AgentId.of("agent-1"),
        "echo",
        null,
        CommandStatus.ACCEPTED);
  }

  @Test
  void a_command_remembered_is_handed_out_once() {
    remembered.remember(accepted("c1"));

    assertThat(remembered.take(CommandId.of("c1")))
        .map(MovedCommand::id)
        .contains(CommandId.of("c1"));
    assertThat(remembered.take(CommandId.of("c1"))).isEmpty();
  }

  @Test
  void a_forgotten_command_is_not_handed_out() {
    remembered.remember(accepted("c1"));

    remembered.forget(CommandId.of("c1"));

    assertThat(remembered.take(CommandId.of("c1"))).isEmpty();
  }

  @Test
  void at_its_capacity_it_forgets_everything_and_remembers_the_new_command() {
    for (int i = 0; i < RememberedCommands.CAPACITY; i++) {
      remembered.remember(accepted("c" + i));
    }
    remembered.remember(accepted("c0").leaving(CommandStatus.RUNNING));
    assertThat(remembered.size()).isEqualTo(RememberedCommands.CAPACITY);

    remembered.remember(accepted("one-more"));

    assertThat(remembered.size()).isEqualTo(1);
    assertThat(remembered.take(CommandId.of("c0"))).isEmpty();
    assertThat(remembered.take(CommandId.of("one-more"))).isPresent();
  }
}
