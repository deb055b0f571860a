package dev.courier.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExecutorRegistryTest {

  /** Listed in the test {@code META-INF/services} file. */
  public static final class PluginExecutor implements CommandExecutor {
    @Override
    public String type() {
      return "plugin_type";
    }

    @Override
    public CommandOutcome execute(CommandContext context) {
      return CommandOutcome.completed(null);
    }
  }

  private static CommandExecutor named(String type) {
    return new CommandExecutor() {
      @Override
      public String type() {
        return type;
      }

      @Override
      public CommandOutcome execute(CommandContext context) {
        return CommandOutcome.completed(null);
      }
    };
  }

  @Test
  void capabilities_are_the_sorted_types() {
    ExecutorRegistry registry =
        ExecutorRegistry.of(named("zeta"), named("alpha")).with(named("mu"));

    assertThat(registry.capabilities()).containsExactly("alpha", "mu", "zeta");
    assertThat(registry.find("mu")).isPresent();
    assertThat(registry.find("nope")).isEmpty();
    assertThat(registry.find(null)).isEmpty();
  }

  @Test
  void a_duplicate_type_is_refused_everywhere() {
    assertThatThrownBy(() -> ExecutorRegistry.of(named("echo"), named("echo")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate executor for command type echo");
    ExecutorRegistry one = ExecutorRegistry.of(named("echo"));
    assertThatThrownBy(() -> one.with(named("echo"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> one.plus(ExecutorRegistry.of(named("echo"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_blank_type_is_refused() {
    assertThatThrownBy(() -> ExecutorRegistry.of(named(" ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank type");
  }

  @Test
  void registries_are_immutable() {
    ExecutorRegistry base = ExecutorRegistry.of(named("a"));

    ExecutorRegistry more = base.with(named("b"));

    assertThat(base.capabilities()).containsExactly("a");
    assertThat(more.capabilities()).containsExactly("a", "b");
    assertThatThrownBy(() -> more.capabilities().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void plugins_listed_as_services_are_loaded_and_combine_with_built_ins() {
    ExecutorRegistry plugins = ExecutorRegistry.loadPlugins(getClass().getClassLoader());

    assertThat(plugins.capabilities()).containsExactly("plugin_type");
    assertThat(plugins.find("plugin_type")).get().isInstanceOf(PluginExecutor.class);
    assertThat(ExecutorRegistry.of(named("echo")).plus(plugins).capabilities())
        .containsExactly("echo", "plugin_type");
  }
}
