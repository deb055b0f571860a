package dev.courier.server.events;

import dev.courier.server.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the event outbox.
 *
 * @param seq assigned by the store on append, increasing; 0 before that
 * @param tenantId null for system-wide events
 * @param type such as {@code command.completed} or {@code agent.online}
 * @param subjectId the id of the command, agent, ... the event is about
 * @param payloadJson the event body as a JSON object
 */
public record Event(
    long seq,
    TenantId tenantId,
    String type,
    String subjectId,
    String payloadJson,
    Instant createdAt) {
  public Event {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payloadJson, "payloadJson");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** An event to append; the store assigns its sequence number. */
  public static Event of(
      TenantId tenantId, String type, String subjectId, String payloadJson, Instant createdAt) {
    return new Event(0, tenantId, type, subjectId, payloadJson, createdAt);
  }
}
