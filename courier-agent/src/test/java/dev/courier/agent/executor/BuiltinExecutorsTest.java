package dev.courier.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.agent.sdk.ExecutorRegistry;
import dev.courier.protocol.CommandStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltinExecutorsTest {

  @TempDir Path stateDir;

  private ExecutorRegistry registry() {
    return BuiltinExecutors.registry(
        "1.0.0", ExecutorSettings.denyAll(), stateDir, BuiltinExecutorsTest.class.getClassLoader());
  }

  @Test
  void registers_the_data_collection_and_the_allowlisted_system_types() {
    assertThat(registry().capabilities())
        .containsExactly(
            "collect",
            "collect_inventory",
            "collect_telemetry",
            "docker_restart",
            "echo",
            "git_pull",
            "health_check",
            "scan");
    assertThat(registry().find("shell")).isEmpty();
    assertThat(registry().find("upgrade")).isEmpty();
  }

  @Test
  void registered_executors_run() throws Exception {
    CommandOutcome outcome =
        registry()
            .find("echo")
            .orElseThrow()
            .execute(FakeContext.of("echo", "{\"message\":\"x\"}"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(outcome.output()).isEqualTo("x");
  }

  @Test
  void with_nothing_allowed_every_system_executor_refuses_naming_the_setting_that_would_allow_it()
      throws Exception {
    ExecutorRegistry registry = registry();

    assertThat(
            registry
                .find("git_pull")
                .orElseThrow()
                .execute(FakeContext.of("git_pull", "{\"repository_path\":\"/srv/app\"}"))
                .error())
        .contains("--git-roots");
    assertThat(
            registry
                .find("docker_restart")
                .orElseThrow()
                .execute(FakeContext.of("docker_restart", "{\"container_name\":\"web\"}"))
                .error())
        .contains("--docker-containers");
    assertThat(
            registry
                .find("scan")
                .orElseThrow()
                .execute(FakeContext.of("scan", "{\"scanner\":\"semgrep\",\"target\":\"/srv\"}"))
                .error())
        .contains("--scan-roots");
    assertThat(
            registry
                .find("collect")
                .orElseThrow()
                .execute(
                    FakeContext.of(
                        "collect",
                        "{\"collector\":\"files\",\"source_config\":{\"path\":\"/var/log\"}}"))
                .error())
        .contains("--collect-roots");
  }

  @Test
  void oshi_is_built_only_when_a_command_first_needs_it() {
    LazySystemInfo system = new LazySystemInfo();
    assertThat(system.isLoaded()).isFalse();

    system.hardware();

    assertThat(system.isLoaded()).isTrue();
    assertThat(system.os()).isNotNull();
  }
}
