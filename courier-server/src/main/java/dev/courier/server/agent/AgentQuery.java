package dev.courier.server.agent;

import dev.courier.server.tenant.TenantId;

/**
 * Filters for listing agents; a null field does not filter.
 *
 * @param tenantId null only for a system_admin listing every tenant
 * @param decommissioned false lists the agents in service (the default), true only the
 *     decommissioned ones
 */
public record AgentQuery(TenantId tenantId, AgentStatus status, boolean decommissioned) {

  /** Agents in service, optionally of one presence. */
  public AgentQuery(TenantId tenantId, AgentStatus status) {
    this(tenantId, status, false);
  }

  public static AgentQuery inTenant(TenantId tenantId) {
    return new AgentQuery(tenantId, null);
  }

  /** Only decommissioned agents, whatever their last presence. */
  public static AgentQuery decommissionedOnly() {
    return new AgentQuery(null, null, true);
  }

  public AgentQuery withTenant(TenantId tenant) {
    return new AgentQuery(tenant, status, decommissioned);
  }
}
