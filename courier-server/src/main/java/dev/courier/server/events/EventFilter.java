package dev.courier.server.events;

import dev.courier.server.tenant.TenantId;
import java.util.Set;

/**
 * Which events a reader of the outbox wants; a null field lets every event through.
 *
 * <p>An event is "about" an agent, command or rollout when its type is of that kind ({@code
 * agent.online} is about the agent it names as subject) or when its payload names one ({@code
 * command.requested} carries {@code agent_id} and, in a rollout, {@code rollout_id}).
 *
 * @param tenant only this tenant's events (system-wide events have no tenant and are left out);
 *     null for every tenant's and the system's
 * @param types exact types such as {@code command.requested}, or prefixes written {@code
 *     command.*}; null or empty for every type
 * @param agentId only events about this agent
 * @param commandId only events about this command
 * @param rolloutId only events about this rollout
 */
public record EventFilter(
    TenantId tenant, Set<String> types, String agentId, String commandId, String rolloutId) {

  /** Lets every event through. */
  public static final EventFilter ALL = new EventFilter(null, null, null, null, null);

  public EventFilter {
    types = types == null || types.isEmpty() ? null : Set.copyOf(types);
  }

  /** Whether {@code pattern} (one of {@link #types}) stands for every type that starts with it. */
  public static boolean isPrefix(String pattern) {
    return pattern.endsWith(".*");
  }

  /** What a prefix pattern's types start with: {@code command.*} gives {@code command.}. */
  public static String prefixOf(String pattern) {
    return pattern.substring(0, pattern.length() - 1);
  }
}
