package dev.courier.server.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.Priority;
import dev.courier.server.tenant.TenantId;
import java.time.Instant;

/**
 * A cron expression in a time zone that fires one rollout at each due time.
 *
 * @param nextRunAt null when disabled or the expression never fires again
 * @param lastError why the last due time did not start a rollout, or null
 */
public record Schedule(
    String id,
    TenantId tenantId,
    String name,
    String description,
    CronSchedule cron,
    String type,
    ObjectNode params,
    TargetSelector selector,
    Priority priority,
    RolloutLimit maxConcurrency,
    RolloutLimit maxErrors,
    boolean enabled,
    MissedRunPolicy missedRunPolicy,
    Instant nextRunAt,
    Instant lastRunAt,
    String lastError,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {

  /** The rollout this schedule fires. */
  public NewRollout rollout() {
    return new NewRollout(selector, type, params, maxConcurrency, maxErrors, null, priority, null);
  }
}
