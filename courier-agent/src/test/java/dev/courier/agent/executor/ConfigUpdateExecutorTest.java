package dev.courier.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.protocol.CommandStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigUpdateExecutorTest {

  private static final String ORIGINAL =
      "server: https://courier.example.com\nheartbeat_seconds: 30\ncollect_roots: [/var/log/app]\n";

  @TempDir Path temp;
  private Path file;

  @BeforeEach
  void writeConfig() throws Exception {
    file = Files.writeString(temp.resolve("agent.yaml"), ORIGINAL);
  }

  private CommandOutcome update(String configData) throws Exception {
    return new ConfigUpdateExecutor(Optional.of(file))
        .execute(FakeContext.of("config_update", "{\"config_data\": " + configData + "}"));
  }

  @Test
  void a_valid_change_replaces_the_file_and_keeps_the_old_one_as_a_backup() throws Exception {
    CommandOutcome outcome = update("{\"heartbeat_seconds\": 10, \"max_concurrent\": 2}");

    assertThat(outcome.status()).as(outcome.toString()).isEqualTo(CommandStatus.COMPLETED);
    String written = Files.readString(file);
    assertThat(written)
        .contains(
            "heartbeat_seconds: 10", "max_concurrent: 2", "server: https://courier.example.com")
        .contains("/var/log/app");
    assertThat(Files.readString(temp.resolve("agent.yaml.bak"))).isEqualTo(ORIGINAL);
    assertThat(outcome.metadata().path("changed_keys").toString())
        .isEqualTo("[\"heartbeat_seconds\",\"max_concurrent\"]");
    assertThat(outcome.metadata().path("restart_required").asBoolean()).isTrue();
    try (var leftovers = Files.list(temp)) {
      assertThat(leftovers.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("agent.yaml", "agent.yaml.bak");
    }
  }

  @Test
  void an_invalid_value_is_refused_naming_the_key_and_the_file_is_untouched() throws Exception {
    CommandOutcome outcome = update("{\"heartbeat_seconds\": 0}");

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).contains("invalid config, not applied", "heartbeat_seconds");
    assertThat(Files.readString(file)).isEqualTo(ORIGINAL);
    assertThat(temp.resolve("agent.yaml.bak")).doesNotExist();
  }

  @Test
  void keys_that_widen_what_commands_may_touch_can_only_be_changed_on_the_host() throws Exception {
    CommandOutcome outcome = update("{\"collect_roots\": [\"/\"]}");

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).contains("'collect_roots' can only be changed on the host");
    assertThat(Files.readString(file)).isEqualTo(ORIGINAL);
  }

  @Test
  void a_command_cannot_switch_the_terminal_on() throws Exception {
    CommandOutcome outcome = update("{\"terminal\": {\"enabled\": true}}");

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).contains("'terminal' can only be changed on the host");
    assertThat(Files.readString(file)).isEqualTo(ORIGINAL);
  }

  @Test
  void a_null_removes_a_key_and_an_unchanged_value_writes_nothing() throws Exception {
    CommandOutcome same = update("{\"heartbeat_seconds\": 30}");
    assertThat(same.metadata().path("changed_keys").size()).isZero();
    assertThat(temp.resolve("agent.yaml.bak")).doesNotExist();

    CommandOutcome removed = update("{\"heartbeat_seconds\": null}");
    assertThat(removed.status()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(Files.readString(file)).doesNotContain("heartbeat_seconds");
  }

  @Test
  void an_agent_without_a_config_file_refuses() throws Exception {
    CommandOutcome outcome =
        new ConfigUpdateExecutor(Optional.empty())
            .execute(FakeContext.of("config_update", "{\"config_data\": {\"max_concurrent\": 2}}"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).contains("without a config file");
  }
}
