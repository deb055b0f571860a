package dev.courier.agent.executor;

import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.ExecutorRegistry;
import java.nio.file.Path;
import java.util.List;

/**
 * The executors the reference agent ships with, plus any {@code ServiceLoader} plugins on its class
 * path. Types not listed here are simply not registered, so the SDK reports them {@code failed};
 * nothing is ever handed to a shell.
 */
public final class BuiltinExecutors {

  private BuiltinExecutors() {}

  /**
   * echo, health_check, collect_inventory and collect_telemetry, sharing one lazy OSHI; and
   * git_pull, docker_restart, scan and collect, each limited to what {@code settings} allow
   * (nothing, by default).
   *
   * @param stateDir the agent's state directory: scan reports are written under {@code work/},
   *     collected artifacts under {@code artifacts/}
   */
  public static List<CommandExecutor> create(
      String agentVersion, ExecutorSettings settings, Path stateDir) {
    LazySystemInfo system = new LazySystemInfo();
    Executables path = Executables.fromEnvironment();
    return List.of(
        new EchoExecutor(),
        new HealthCheckExecutor(system, agentVersion, HealthThresholds.defaults()),
        new InventoryExecutor(system),
        new TelemetryExecutor(system),
        new GitPullExecutor(AllowedRoots.of("--git-roots", settings.gitRoots())),
        new DockerRestartExecutor(settings.dockerContainers(), settings.dockerBinary(), path),
        new ScanExecutor(
            AllowedRoots.of("--scan-roots", settings.scanRoots()),
            settings.scanners(),
            stateDir.resolve("work")),
        new CollectExecutor(
            AllowedRoots.of("--collect-roots", settings.collectRoots()),
            stateDir.resolve("artifacts")));
  }

  /**
   * The built-ins and the plugins found in {@code plugins}. (The SDK logs each command's start and
   * end, and the connection's ups and downs, so the agent adds no logging of its own there.)
   *
   * @throws IllegalArgumentException when a plugin claims a type that is already taken
   */
  public static ExecutorRegistry registry(
      String agentVersion, ExecutorSettings settings, Path stateDir, ClassLoader plugins) {
    return registry(agentVersion, settings, stateDir, plugins, List.of());
  }

  /**
   * As {@link #registry(String, ExecutorSettings, Path, ClassLoader)} plus {@code lifecycle}: the
   * executors that act on the agent process itself (config_update, restart, upgrade), which need
   * the process's collaborators and so are built by it.
   */
  public static ExecutorRegistry registry(
      String agentVersion,
      ExecutorSettings settings,
      Path stateDir,
      ClassLoader plugins,
      List<CommandExecutor> lifecycle) {
    ExecutorRegistry builtins =
        ExecutorRegistry.of(
            create(agentVersion, settings, stateDir).toArray(CommandExecutor[]::new));
    for (CommandExecutor executor : lifecycle) {
      builtins = builtins.with(executor);
    }
    return builtins.plus(ExecutorRegistry.loadPlugins(plugins));
  }
}
