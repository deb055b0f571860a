package dev.courier.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.protocol.CommandStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a stand-in {@code docker} that records its arguments instead of restarting anything. */
class DockerRestartExecutorTest {

  @TempDir Path temp;
  private Path recorded;
  private Path docker;

  @BeforeEach
  void fakeDocker() throws Exception {
    recorded = temp.resolve("docker-args.txt");
    docker =
        Programs.script(
            temp.resolve("bin/docker"),
            "printf '%s\\n' \"$@\" > '" + recorded + "'\necho \"$2\"\n");
  }

  private DockerRestartExecutor executor(Set<String> allowed, String binary) {
    return new DockerRestartExecutor(allowed, binary, Executables.in(List.of(temp.resolve("bin"))));
  }

  private static FakeContext restart(String name) {
    return FakeContext.of("docker_restart", "{\"container_name\":\"" + name + "\"}")
        .withProcesses();
  }

  @Test
  void an_allowlisted_container_is_restarted_with_docker_restart_and_its_name() throws Exception {
    CommandOutcome outcome =
        executor(Set.of("web", "db"), docker.toString()).execute(restart("web"));

    assertThat(outcome.status()).as(outcome.toString()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.output()).isEqualTo("web\n");
    assertThat(Files.readAllLines(recorded)).containsExactly("restart", "web");
    assertThat(outcome.metadata().path("container_name").asText()).isEqualTo("web");
    assertThat(outcome.metadata().path("restarted").asBoolean()).isTrue();
  }

  @Test
  void docker_is_found_on_the_search_path_by_name() throws Exception {
    CommandOutcome outcome = executor(Set.of("web"), "docker").execute(restart("web"));

    assertThat(outcome.status()).as(outcome.toString()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(Files.readAllLines(recorded)).containsExactly("restart", "web");
  }

  @Test
  void a_container_not_in_the_allowlist_is_refused_and_docker_never_runs() throws Exception {
    CommandOutcome outcome =
        executor(Set.of("web"), docker.toString()).execute(restart("database"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error())
        .isEqualTo(
            "params.container_name is refused: 'database' is not in the allowed containers [web]");
    assertThat(recorded).doesNotExist();
  }

  @Test
  void an_empty_allowlist_refuses_every_container_naming_the_setting() throws Exception {
    CommandOutcome outcome = executor(Set.of(), docker.toString()).execute(restart("web"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).contains("allows no containers").contains("--docker-containers");
    assertThat(recorded).doesNotExist();
  }

  @Test
  void a_name_that_could_read_as_an_option_is_refused_even_if_allowlisted() throws Exception {
    CommandOutcome outcome = executor(Set.of("web"), docker.toString()).execute(restart("--help"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).isEqualTo("params.container_name is not a valid container name");
    assertThat(recorded).doesNotExist();
  }

  @Test
  void a_missing_docker_program_fails_naming_it() throws Exception {
    CommandOutcome outcome =
        executor(Set.of("web"), temp.resolve("nowhere/docker").toString()).execute(restart("web"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).contains("docker is not installed").contains("nowhere/docker");
  }

  @Test
  void a_failing_docker_restart_fails_with_its_exit_code_and_complaint() throws Exception {
    Path failing =
        Programs.script(
            temp.resolve("failing/docker"),
            "echo 'Error response from daemon: No such container: web' >&2\nexit 1\n");

    CommandOutcome outcome = executor(Set.of("web"), failing.toString()).execute(restart("web"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.error())
        .isEqualTo(
            "docker restart web failed (exit 1): Error response from daemon: No such container:"
                + " web");
    assertThat(outcome.metadata().path("restarted").asBoolean()).isFalse();
  }
}
