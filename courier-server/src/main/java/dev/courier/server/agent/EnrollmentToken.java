package dev.courier.server.agent;

import dev.courier.server.tenant.TenantId;
import dev.courier.server.user.UserId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Lets agents enroll into a tenant. The secret is held only as {@code tokenHash}.
 *
 * @param maxUses null for unlimited uses until expiry
 * @param defaultLabels labels every agent enrolled with this token starts with
 * @param createdBy null when created by the system itself
 */
public record EnrollmentToken(
    EnrollmentTokenId id,
    TenantId tenantId,
    String tokenHash,
    Map<String, String> defaultLabels,
    Integer maxUses,
    int uses,
    UserId createdBy,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt) {
  public EnrollmentToken {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    defaultLabels = Map.copyOf(defaultLabels);
    if (maxUses != null && maxUses < 1) {
      throw new IllegalArgumentException("maxUses must be positive");
    }
  }
}
