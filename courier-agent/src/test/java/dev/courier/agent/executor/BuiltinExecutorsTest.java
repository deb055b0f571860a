package dev.courier.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.agent.sdk.ExecutorRegistry;
import dev.courier.protocol.CommandStatus;
import org.junit.jupiter.api.Test;

class BuiltinExecutorsTest {

  @Test
  void registers_exactly_the_four_data_collection_types() {
    ExecutorRegistry registry =
        BuiltinExecutors.registry("1.0.0", BuiltinExecutorsTest.class.getClassLoader());

    assertThat(registry.capabilities())
        .containsExactly("collect_inventory", "collect_telemetry", "echo", "health_check");
    assertThat(registry.find("git_pull")).isEmpty();
    assertThat(registry.find("shell")).isEmpty();
  }

  @Test
  void registered_executors_run() throws Exception {
    ExecutorRegistry registry =
        BuiltinExecutors.registry("1.0.0", BuiltinExecutorsTest.class.getClassLoader());

    CommandOutcome outcome =
        registry.find("echo").orElseThrow().execute(FakeContext.of("echo", "{\"message\":\"x\"}"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(outcome.output()).isEqualTo("x");
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
