package dev.courier.server.auth;

import dev.courier.server.tenant.TenantId;
import dev.courier.server.user.Role;
import dev.courier.server.user.UserId;
import java.util.Objects;
import java.util.Optional;

/**
 * A person or script acting through the operator API, as their access token proves.
 *
 * @param tenantId null for a system admin, who acts across tenants
 */
public record Operator(UserId userId, String username, Role role, TenantId tenantId) {

  public Operator {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(role, "role");
  }

  /** The tenant every read and write of this operator is confined to; empty means all tenants. */
  public Optional<TenantId> tenantScope() {
    return role == Role.SYSTEM_ADMIN ? Optional.empty() : Optional.of(tenantId);
  }
}
