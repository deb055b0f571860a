package dev.courier.server.command;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandStatus;
import dev.courier.server.tenant.TenantId;
import java.time.Instant;

/**
 * Filters for listing commands; a null field does not filter.
 *
 * @param tenantId null only for a system_admin listing every tenant
 * @param since only commands created at or after this instant
 * @param rolloutId only the children of this rollout
 */
public record CommandQuery(
    TenantId tenantId,
    AgentId agentId,
    CommandStatus status,
    String type,
    Instant since,
    String rolloutId) {

  public CommandQuery(
      TenantId tenantId, AgentId agentId, CommandStatus status, String type, Instant since) {
    this(tenantId, agentId, status, type, since, null);
  }

  public static CommandQuery inTenant(TenantId tenantId) {
    return new CommandQuery(tenantId, null, null, null, null);
  }

  public CommandQuery withTenant(TenantId tenant) {
    return new CommandQuery(tenant, agentId, status, type, since, rolloutId);
  }

  public CommandQuery withAgent(AgentId agent) {
    return new CommandQuery(tenantId, agent, status, type, since, rolloutId);
  }

  public CommandQuery withStatus(CommandStatus s) {
    return new CommandQuery(tenantId, agentId, s, type, since, rolloutId);
  }

  public CommandQuery withType(String t) {
    return new CommandQuery(tenantId, agentId, status, t, since, rolloutId);
  }

  public CommandQuery withSince(Instant s) {
    return new CommandQuery(tenantId, agentId, status, type, s, rolloutId);
  }

  public CommandQuery withRollout(String rollout) {
    return new CommandQuery(tenantId, agentId, status, type, since, rollout);
  }
}
