package dev.courier.server.tunnel;

import dev.courier.server.audit.AuditEntry;
import dev.courier.server.audit.AuditOutcome;
import dev.courier.server.audit.AuditTrail;
import dev.courier.server.auth.Operator;
import dev.courier.server.common.Transactions;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.RateLimitedException;
import dev.courier.server.ratelimit.Decision;
import dev.courier.server.ratelimit.KeyedRateLimiter;
import dev.courier.server.ratelimit.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The checks every command line passes, API or typed, and its records: the policy, the rate limit,
 * then the transcript and the audit trail.
 */
final class CommandAdmission {

  static final int AUDIT_COMMAND_CHARS = 1000;

  private final Transactions transactions;
  private final TunnelRepository sessions;
  private final AuditTrail audit;
  private final SessionRecords records;
  private final TunnelPolicies policies;
  private final TunnelSettings settings;
  private final Clock clock;
  private final KeyedRateLimiter commandRate;

  CommandAdmission(
      Transactions transactions,
      TunnelRepository sessions,
      AuditTrail audit,
      SessionRecords records,
      TunnelPolicies policies,
      TunnelSettings settings,
      Clock clock) {
    this.transactions = transactions;
    this.sessions = sessions;
    this.audit = audit;
    this.records = records;
    this.policies = policies;
    this.settings = settings;
    this.clock = clock;
    this.commandRate =
        new KeyedRateLimiter(
            "tunnel commands",
            new RateLimit(
                settings.commandsPerMinute(),
                Duration.ofMinutes(1),
                Math.max(1, settings.commandBurst())),
            10_000,
            clock);
  }

  /**
   * Admits the line and records it, or records the refusal.
   *
   * @throws ForbiddenException the tenant's policy refuses it
   * @throws RateLimitedException too many command lines from this operator
   */
  void admit(
      Operator operator,
      TunnelSession session,
      String channel,
      String line,
      String source,
      String requestId) {
    Optional<String> refusal = policies.of(session.tenantId()).refusal(line);
    if (refusal.isPresent()) {
      refused(operator, session, channel, line, refusal.get(), source, requestId);
      throw new ForbiddenException(refusal.get(), "command");
    }
    Decision decision = commandRate.tryAcquire(operator.userId().value());
    if (!decision.granted()) {
      String why = "too many command lines; at most " + settings.commandsPerMinute() + " a minute";
      refused(operator, session, channel, line, why, source, requestId);
      throw new RateLimitedException(why, decision.retryAfter());
    }
    Instant now = clock.instant();
    transactions.inTransaction(
        () -> {
          records.record(session, channel, "command", line, true);
          sessions.touch(session.id(), now, line.length(), 0, 1);
          audit.append(
              commandEntry(
                  operator,
                  session,
                  channel,
                  line,
                  AuditOutcome.SUCCEEDED,
                  null,
                  source,
                  requestId));
        });
    records.touched(session.id(), now);
  }

  private void refused(
      Operator operator,
      TunnelSession session,
      String channel,
      String line,
      String why,
      String source,
      String requestId) {
    transactions.inTransaction(
        () -> {
          records.record(session, channel, "denied", line + "\n" + why, true);
          audit.append(
              commandEntry(
                  operator, session, channel, line, AuditOutcome.DENIED, why, source, requestId));
        });
  }

  private AuditEntry commandEntry(
      Operator operator,
      TunnelSession session,
      String channel,
      String line,
      AuditOutcome outcome,
      String reason,
      String source,
      String requestId) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("session_id", session.id());
    details.put("agent_id", session.agentId().value());
    details.put("channel", channel);
    details.put(
        "command",
        line.length() <= AUDIT_COMMAND_CHARS ? line : line.substring(0, AUDIT_COMMAND_CHARS) + "…");
    if (reason != null) {
      details.put("reason", reason);
    }
    return new AuditEntry(
        clock.instant(),
        session.tenantId(),
        SessionAccess.actor(operator),
        "tunnel.command_line",
        "/api/v1/tunnel/" + session.id(),
        outcome,
        source,
        requestId,
        details);
  }
}
