package dev.courier.server.command;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.Priority;
import dev.courier.server.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One instruction for one agent, with everything known about it so far.
 *
 * @param rolloutId the rollout that fanned it out, or null
 * @param scheduleId the schedule that caused it, or null
 * @param paramsJson the parameters as a JSON object
 * @param attempt how many times it was handed to the agent
 * @param expiresAt null if it never expires while pending
 * @param result null until the agent reports one
 * @param error why the server failed it (unknown type, timeout), or null
 */
public record Command(
    CommandId id,
    TenantId tenantId,
    AgentId agentId,
    String rolloutId,
    String scheduleId,
    String type,
    String paramsJson,
    Priority priority,
    CommandStatus status,
    int attempt,
    Duration timeout,
    String idempotencyKey,
    String requestHash,
    String requestedBy,
    Instant createdAt,
    Instant acceptedAt,
    Instant startedAt,
    Instant completedAt,
    Instant expiresAt,
    Instant updatedAt,
    CommandResult result,
    String error) {
  public Command {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(paramsJson, "paramsJson");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** A new pending command as the API creates it. */
  public static Command pending(
      CommandId id,
      TenantId tenantId,
      AgentId agentId,
      String type,
      String paramsJson,
      Priority priority,
      Duration timeout,
      Instant createdAt,
      Instant expiresAt) {
    return new Command(
        id,
        tenantId,
        agentId,
        null,
        null,
        type,
        paramsJson,
        priority,
        CommandStatus.PENDING,
        0,
        timeout,
        null,
        null,
        null,
        createdAt,
        null,
        null,
        null,
        expiresAt,
        createdAt,
        null,
        null);
  }

  /** The same command carrying an idempotency key and the hash of the request that used it. */
  public Command withIdempotency(String key, String hash) {
    return new Command(
        id,
        tenantId,
        agentId,
        rolloutId,
        scheduleId,
        type,
        paramsJson,
        priority,
        status,
        attempt,
        timeout,
        key,
        hash,
        requestedBy,
        createdAt,
        acceptedAt,
        startedAt,
        completedAt,
        expiresAt,
        updatedAt,
        result,
        error);
  }

  /** The same command attributed to a requester (a user id or a token name). */
  /** The same command as a child of a rollout (and of the schedule that fired it, if any). */
  public Command inRollout(String rollout, String schedule) {
    return new Command(
        id,
        tenantId,
        agentId,
        rollout,
        schedule,
        type,
        paramsJson,
        priority,
        status,
        attempt,
        timeout,
        idempotencyKey,
        requestHash,
        requestedBy,
        createdAt,
        acceptedAt,
        startedAt,
        completedAt,
        expiresAt,
        updatedAt,
        result,
        error);
  }

  public Command withRequestedBy(String requester) {
    return new Command(
        id,
        tenantId,
        agentId,
        rolloutId,
        scheduleId,
        type,
        paramsJson,
        priority,
        status,
        attempt,
        timeout,
        idempotencyKey,
        requestHash,
        requester,
        createdAt,
        acceptedAt,
        startedAt,
        completedAt,
        expiresAt,
        updatedAt,
        result,
        error);
  }
}
