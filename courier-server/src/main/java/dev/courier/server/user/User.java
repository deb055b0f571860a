package dev.courier.server.user;

import dev.courier.server.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * An operator account.
 *
 * @param tenantId null only for a {@link Role#SYSTEM_ADMIN}, who spans all tenants
 */
public record User(
    UserId id,
    TenantId tenantId,
    String username,
    String passwordHash,
    Role role,
    boolean disabled,
    Instant createdAt) {
  public User {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(passwordHash, "passwordHash");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(createdAt, "createdAt");
    if (tenantId == null && role != Role.SYSTEM_ADMIN) {
      throw new IllegalArgumentException("only a system_admin may have no tenant");
    }
  }
}
