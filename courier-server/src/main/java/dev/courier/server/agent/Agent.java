package dev.courier.server.agent;

import dev.courier.protocol.AgentId;
import dev.courier.server.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An enrolled endpoint. Its secret key is held only as {@code keyHash}; during a rotation the old
 * hash stays valid until {@code previousKeyExpiresAt}.
 *
 * @param metadataJson free-form JSON object reported by the agent, or null
 * @param inventoryJson the latest inventory snapshot as JSON, or null
 */
public record Agent(
    AgentId id,
    TenantId tenantId,
    String hostname,
    String os,
    String arch,
    String version,
    Map<String, String> labels,
    List<String> capabilities,
    AgentStatus status,
    Instant lastHeartbeatAt,
    String keyHash,
    String previousKeyHash,
    Instant previousKeyExpiresAt,
    Instant revokedAt,
    Instant decommissionedAt,
    long commandsCompleted,
    long commandsFailed,
    Instant enrolledAt,
    EnrollmentTokenId enrollmentTokenId,
    String metadataJson,
    String inventoryJson) {
  public Agent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(enrolledAt, "enrolledAt");
    labels = Map.copyOf(labels);
    capabilities = List.copyOf(capabilities);
  }

  /** A freshly enrolled agent: offline until its first heartbeat, no counters, no rotation. */
  public static Agent enrolled(
      AgentId id,
      TenantId tenantId,
      String hostname,
      String os,
      String arch,
      String version,
      Map<String, String> labels,
      String keyHash,
      EnrollmentTokenId enrollmentTokenId,
      Instant enrolledAt) {
    return new Agent(
        id,
        tenantId,
        hostname,
        os,
        arch,
        version,
        labels,
        List.of(),
        AgentStatus.OFFLINE,
        null,
        keyHash,
        null,
        null,
        null,
        null,
        0,
        0,
        enrolledAt,
        enrollmentTokenId,
        null,
        null);
  }
}
