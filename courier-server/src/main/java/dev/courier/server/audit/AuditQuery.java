package dev.courier.server.audit;

import dev.courier.server.tenant.TenantId;
import java.time.Instant;

/**
 * Filters for reading the audit trail; null means "any". Times are inclusive from, exclusive to.
 */
public record AuditQuery(
    TenantId tenantId,
    String actor,
    String action,
    AuditOutcome outcome,
    String target,
    String requestId,
    Instant from,
    Instant to) {

  public static AuditQuery any() {
    return new AuditQuery(null, null, null, null, null, null, null, null);
  }

  public AuditQuery withTenant(TenantId tenant) {
    return new AuditQuery(tenant, actor, action, outcome, target, requestId, from, to);
  }
}
