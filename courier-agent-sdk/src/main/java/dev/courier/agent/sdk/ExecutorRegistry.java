package dev.courier.agent.sdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The command types an agent can run, one {@link CommandExecutor} per type. Immutable: {@link
 * #with(CommandExecutor)} and {@link #plus(ExecutorRegistry)} return new registries. The sorted
 * type names are the agent's {@link #capabilities()}.
 */
public final class ExecutorRegistry {

  private final Map<String, CommandExecutor> byType;

  private ExecutorRegistry(Map<String, CommandExecutor> byType) {
    this.byType = Collections.unmodifiableMap(byType);
  }

  /**
   * A registry of the given executors.
   *
   * @throws IllegalArgumentException when two executors claim the same type, or a type is blank
   */
  public static ExecutorRegistry of(CommandExecutor... executors) {
    ExecutorRegistry registry = new ExecutorRegistry(new TreeMap<>());
    for (CommandExecutor executor : executors) {
      registry = registry.with(executor);
    }
    return registry;
  }

  /**
   * Executors found by {@link ServiceLoader} in {@code classLoader}: every class listed in {@code
   * META-INF/services/dev.courier.agent.sdk.CommandExecutor}, built with its public no-argument
   * constructor.
   *
   * @throws IllegalArgumentException when two plugins claim the same type
   * @throws java.util.ServiceConfigurationError when a listed plugin cannot be loaded
   */
  public static ExecutorRegistry loadPlugins(ClassLoader classLoader) {
    List<CommandExecutor> found = new ArrayList<>();
    ServiceLoader.load(CommandExecutor.class, classLoader).forEach(found::add);
    return of(found.toArray(CommandExecutor[]::new));
  }

  /**
   * A copy with one more executor.
   *
   * @throws IllegalArgumentException when its type is blank or already registered
   */
  public ExecutorRegistry with(CommandExecutor executor) {
    Objects.requireNonNull(executor, "executor");
    String type = executor.type();
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException(
          "executor " + executor.getClass().getName() + " has a blank type");
    }
    CommandExecutor existing = byType.get(type);
    if (existing != null) {
      throw new IllegalArgumentException(
          "duplicate executor for command type "
              + type
              + ": "
              + existing.getClass().getName()
              + " and "
              + executor.getClass().getName());
    }
    TreeMap<String, CommandExecutor> copy = new TreeMap<>(byType);
    copy.put(type, executor);
    return new ExecutorRegistry(copy);
  }

  /**
   * A registry holding the executors of both.
   *
   * @throws IllegalArgumentException when both have an executor for the same type
   */
  public ExecutorRegistry plus(ExecutorRegistry other) {
    ExecutorRegistry result = this;
    for (CommandExecutor executor : other.byType.values()) {
      result = result.with(executor);
    }
    return result;
  }

  /** The executor for {@code type}, if registered. */
  public Optional<CommandExecutor> find(String type) {
    return type == null ? Optional.empty() : Optional.ofNullable(byType.get(type));
  }

  /** The registered types, sorted. */
  public List<String> capabilities() {
    return List.copyOf(byType.keySet());
  }

  @Override
  public String toString() {
    return "ExecutorRegistry" + capabilities();
  }
}
