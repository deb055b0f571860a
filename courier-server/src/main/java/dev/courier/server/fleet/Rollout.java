package dev.courier.server.fleet;

import dev.courier.protocol.Priority;
import dev.courier.server.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;

/**
 * One request fanned out to many agents: its children are ordinary commands, created as {@code
 * maxConcurrency} allows.
 *
 * @param scheduleId the schedule that fired it, or null
 * @param timeout each child's timeout
 * @param maxConcurrency children in flight at most, resolved from {@code maxConcurrencySpec}
 * @param maxErrors errors (failed, timed out, expired) allowed before dispatch stops
 * @param canary children dispatched first and required to complete before the rest; 0 for none
 * @param reason why it failed or was cancelled, or null
 */
public record Rollout(
    String id,
    TenantId tenantId,
    String scheduleId,
    TargetSelector selector,
    String type,
    String paramsJson,
    Priority priority,
    Duration timeout,
    int maxConcurrency,
    String maxConcurrencySpec,
    int maxErrors,
    String maxErrorsSpec,
    int canary,
    RolloutStatus status,
    RolloutCounts counts,
    String reason,
    String createdBy,
    Instant createdAt,
    Instant completedAt,
    Instant updatedAt) {

  /** Children that may be dispatched now, given what is in flight. */
  public int openSlots() {
    int limit = status == RolloutStatus.CANARY ? canary - counts.dispatched() : maxConcurrency;
    int free = status == RolloutStatus.CANARY ? limit : Math.max(0, limit - counts.inFlight());
    return Math.max(0, Math.min(free, counts.queued()));
  }

  public boolean errorsExceeded() {
    return counts.errors() > maxErrors;
  }
}
