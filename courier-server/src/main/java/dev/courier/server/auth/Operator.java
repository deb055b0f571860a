package dev.courier.server.auth;

import dev.courier.server.tenant.TenantId;
import dev.courier.server.user.Role;
import dev.courier.server.user.UserId;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A person or script acting through the operator API, as their access token or API token proves.
 *
 * @param tenantId null for a system admin, who acts across tenants
 * @param permissions what this credential may do: the role's permissions for a login, the token's
 *     scope (never more than the role's) for an API token
 * @param apiTokenId the API token the request carried, or null for a login access token
 */
public record Operator(
    UserId userId,
    String username,
    Role role,
    TenantId tenantId,
    Set<Permission> permissions,
    ApiTokenId apiTokenId) {

  public Operator {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(role, "role");
    permissions = Set.copyOf(permissions);
  }

  /** A logged-in user, holding every permission of the role. */
  public Operator(UserId userId, String username, Role role, TenantId tenantId) {
    this(userId, username, role, tenantId, RolePermissions.of(role), null);
  }

  /** The tenant every read and write of this operator is confined to; empty means all tenants. */
  public Optional<TenantId> tenantScope() {
    return role == Role.SYSTEM_ADMIN ? Optional.empty() : Optional.of(tenantId);
  }

  public boolean holds(Permission permission) {
    return permissions.contains(permission);
  }

  /** Whether the request carried an API token rather than a login access token. */
  public boolean viaApiToken() {
    return apiTokenId != null;
  }
}
