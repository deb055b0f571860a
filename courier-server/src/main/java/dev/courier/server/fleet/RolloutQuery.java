package dev.courier.server.fleet;

import dev.courier.server.tenant.TenantId;

/** Filters for listing rollouts; null does not filter. */
public record RolloutQuery(TenantId tenantId, RolloutStatus status, String scheduleId) {
  public RolloutQuery withTenant(TenantId tenant) {
    return new RolloutQuery(tenant, status, scheduleId);
  }
}
