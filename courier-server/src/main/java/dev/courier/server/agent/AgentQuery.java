package dev.courier.server.agent;

import dev.courier.server.tenant.TenantId;

/**
 * Filters for listing agents; a null field does not filter.
 *
 * @param tenantId null only for a system_admin listing every tenant
 */
public record AgentQuery(TenantId tenantId, AgentStatus status) {
  public static AgentQuery inTenant(TenantId tenantId) {
    return new AgentQuery(tenantId, null);
  }

  public AgentQuery withTenant(TenantId tenant) {
    return new AgentQuery(tenant, status);
  }
}
