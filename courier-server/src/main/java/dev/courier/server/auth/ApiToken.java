package dev.courier.server.auth;

import dev.courier.server.tenant.TenantId;
import dev.courier.server.user.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A credential a user made for a script: acts as that user, but only with {@code permissions}
 * (further cut to the user's current role at each use). The secret is held only as {@code
 * tokenHash}.
 *
 * @param tenantId the user's tenant when the token was made; null for a system admin
 * @param lastUsedAt when a request last carried it, to the minute; null if never
 */
public record ApiToken(
    ApiTokenId id,
    TenantId tenantId,
    UserId userId,
    String name,
    String tokenHash,
    Set<Permission> permissions,
    Instant createdAt,
    Instant expiresAt,
    Instant lastUsedAt,
    Instant revokedAt) {
  public ApiToken {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    permissions = Set.copyOf(permissions);
  }

  /** Usable at {@code now}: not revoked and not yet expired. */
  public boolean activeAt(Instant now) {
    return revokedAt == null && now.isBefore(expiresAt);
  }
}
