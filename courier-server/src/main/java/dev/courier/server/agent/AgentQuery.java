package dev.courier.server.agent;

import dev.courier.server.tenant.TenantId;
import java.util.Map;

/**
 * Filters for listing agents; a null field does not filter.
 *
 * @param tenantId null only for a system_admin listing every tenant
 * @param decommissioned false lists the agents in service (the default), true only the
 *     decommissioned ones
 * @param search a piece of the hostname or id, any case
 * @param labels labels the agent must carry with exactly these values
 */
public record AgentQuery(
    TenantId tenantId,
    AgentStatus status,
    boolean decommissioned,
    String search,
    Map<String, String> labels) {

  public AgentQuery {
    search = search == null || search.isBlank() ? null : search.strip();
    labels = labels == null || labels.isEmpty() ? null : Map.copyOf(labels);
  }

  public AgentQuery(TenantId tenantId, AgentStatus status, boolean decommissioned) {
    this(tenantId, status, decommissioned, null, null);
  }

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
    return new AgentQuery(tenant, status, decommissioned, search, labels);
  }

  /** The same filters, also matching {@code search} and carrying {@code labels}. */
  public AgentQuery matching(String search, Map<String, String> labels) {
    return new AgentQuery(tenantId, status, decommissioned, search, labels);
  }
}
