package dev.courier.server.agent;

import dev.courier.server.tenant.TenantId;
import java.time.Duration;
import java.util.Map;

/**
 * An operator's request for an enrollment token.
 *
 * @param tenantId the tenant agents will join; null means the operator's own (or the default tenant
 *     for a system admin)
 * @param maxUses null for unlimited until expiry
 */
public record NewEnrollmentToken(
    TenantId tenantId, Duration expiresIn, Integer maxUses, Map<String, String> labels) {}
