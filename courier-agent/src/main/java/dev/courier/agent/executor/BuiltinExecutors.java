package dev.courier.agent.executor;

import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.ExecutorRegistry;
import java.util.List;

/**
 * The executors the reference agent ships with, plus any {@code ServiceLoader} plugins on its class
 * path. Types not listed here are simply not registered, so the SDK reports them {@code failed};
 * nothing is ever handed to a shell.
 */
public final class BuiltinExecutors {

  private BuiltinExecutors() {}

  /** echo, health_check, collect_inventory and collect_telemetry, sharing one lazy OSHI. */
  public static List<CommandExecutor> create(String agentVersion) {
    LazySystemInfo system = new LazySystemInfo();
    return List.of(
        new EchoExecutor(),
        new HealthCheckExecutor(system, agentVersion, HealthThresholds.defaults()),
        new InventoryExecutor(system),
        new TelemetryExecutor(system));
  }

  /**
   * The built-ins and the plugins found in {@code plugins}. (The SDK logs each command's start and
   * end, and the connection's ups and downs, so the agent adds no logging of its own there.)
   *
   * @throws IllegalArgumentException when a plugin claims a type that is already taken
   */
  public static ExecutorRegistry registry(String agentVersion, ClassLoader plugins) {
    ExecutorRegistry builtins =
        ExecutorRegistry.of(create(agentVersion).toArray(CommandExecutor[]::new));
    return builtins.plus(ExecutorRegistry.loadPlugins(plugins));
  }
}
