package dev.courier.server.audit;

import dev.courier.server.tenant.TenantId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One act as the audit trail keeps it: who did what to what, when, from where, and how it ended.
 *
 * @param tenantId the tenant whose chain holds the record; null for acts outside any tenant (a
 *     system admin's, an unauthenticated caller's)
 * @param actor who acted: {@code user:<id>}, {@code agent:<id>} or {@code anonymous}
 * @param action what was attempted, such as {@code command.create}
 * @param target the resource acted on, as its API path; null when there is none
 * @param sourceAddress the caller's network address
 * @param requestId the request's {@code X-Request-Id}
 * @param details further facts (status, reason, username); flat, kept sorted by key
 */
public record AuditEntry(
    Instant occurredAt,
    TenantId tenantId,
    String actor,
    String action,
    String target,
    AuditOutcome outcome,
    String sourceAddress,
    String requestId,
    Map<String, String> details) {

  public AuditEntry {
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
    // Both databases keep milliseconds; the hash must cover what is stored, not more.
    occurredAt = occurredAt.truncatedTo(ChronoUnit.MILLIS);
    details = Collections.unmodifiableSortedMap(new TreeMap<>(details));
  }
}
