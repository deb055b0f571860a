package dev.courier.server.tunnel;

import dev.courier.protocol.AgentId;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.user.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * One operator's live session with one agent (seed 002's tech_sessions row).
 *
 * @param expiresAt the hard end (the maximum session length), whatever the activity
 * @param nodeId the server node hosting the session; it vouches for it at {@code nodeSeenAt}
 * @param closedBy who or what closed it: {@code user:<name>}, {@code agent:<id>} or {@code system}
 * @param transcriptBytes bytes of transcript stored so far; past the cap it stops growing
 */
public record TunnelSession(
    String id,
    TenantId tenantId,
    UserId userId,
    AgentId agentId,
    TunnelStatus status,
    Instant openedAt,
    Instant lastActivityAt,
    Instant closedAt,
    String closeReason,
    String closedBy,
    Instant expiresAt,
    String nodeId,
    Instant nodeSeenAt,
    long bytesIn,
    long bytesOut,
    int commands,
    long transcriptBytes,
    boolean transcriptTruncated) {

  public TunnelSession {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(openedAt, "openedAt");
    Objects.requireNonNull(lastActivityAt, "lastActivityAt");
  }

  /** A session just asked for: active until the agent answers. */
  public static TunnelSession opened(
      String id,
      TenantId tenantId,
      UserId userId,
      AgentId agentId,
      Instant now,
      Instant expiresAt,
      String nodeId) {
    return new TunnelSession(
        id,
        tenantId,
        userId,
        agentId,
        TunnelStatus.ACTIVE,
        now,
        now,
        null,
        null,
        null,
        expiresAt,
        nodeId,
        now,
        0,
        0,
        0,
        0,
        false);
  }

  public boolean isOpen() {
    return status.isOpen();
  }
}
