package dev.courier.server.tunnel;

import dev.courier.protocol.frame.ServerFrame;
import dev.courier.server.audit.AuditEntry;
import dev.courier.server.audit.AuditOutcome;
import dev.courier.server.audit.AuditTrail;
import dev.courier.server.auth.Operator;
import dev.courier.server.common.Transactions;
import dev.courier.server.error.ConflictException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ends sessions, whoever asks: the operator, the agent, the sweep or the server shutting down. */
final class SessionCloser {

  private static final Logger log = LoggerFactory.getLogger(SessionCloser.class);

  private final Transactions transactions;
  private final TunnelRepository sessions;
  private final SessionAccess access;
  private final TunnelLink link;
  private final AuditTrail audit;
  private final SessionRecords records;
  private final OperatorStreams streams;
  private final TunnelNotices notices;
  private final Clock clock;

  SessionCloser(
      Transactions transactions,
      TunnelRepository sessions,
      SessionAccess access,
      TunnelLink link,
      AuditTrail audit,
      SessionRecords records,
      OperatorStreams streams,
      TunnelNotices notices,
      Clock clock) {
    this.transactions = transactions;
    this.sessions = sessions;
    this.access = access;
    this.link = link;
    this.audit = audit;
    this.records = records;
    this.streams = streams;
    this.notices = notices;
    this.clock = clock;
  }

  /**
   * Closes the operator's own session at their request.
   *
   * @throws ConflictException if it is already closed
   */
  TunnelSession closeAtRequest(Operator operator, String sessionId) {
    TunnelSession session = access.owned(operator, sessionId, false);
    if (!session.isOpen()
        || !close(
            session, TunnelStatus.CLOSED, "closed_by_user", SessionAccess.actor(operator), true)) {
      TunnelSession now = sessions.find(session.id()).orElse(session);
      throw new ConflictException(
          "tunnel session "
              + sessionId
              + " is already "
              + now.status().wireName()
              + (now.closeReason() == null ? "" : " (" + now.closeReason() + ")"),
          "session_id");
    }
    return sessions.find(session.id()).orElseThrow();
  }

  /**
   * Closes an open session once, whoever gets there first: records it, tells the agent (when {@code
   * tellAgent}) and the attached streams, and fails whatever waited on it.
   *
   * @return false if it was not open any more
   */
  boolean close(
      TunnelSession session,
      TunnelStatus status,
      String reason,
      String closedBy,
      boolean tellAgent) {
    Instant now = clock.instant();
    boolean closed =
        transactions.inTransaction(
            () -> {
              if (!sessions.close(session.id(), status, reason, closedBy, now)) {
                return false;
              }
              records.record(session, "session", "close", reason + " (" + closedBy + ")", true);
              if (!closedBy.startsWith("user:") || reason.equals("operator_disconnected")) {
                audit.append(closeEntry(session, reason, closedBy, now));
              }
              return true;
            });
    if (!closed) {
      return false;
    }
    log.info("Tunnel session {} closed: {} ({})", session.id(), reason, closedBy);
    if (tellAgent) {
      link.send(session.agentId(), new ServerFrame.TunnelClose(session.id(), reason));
    }
    records.forget(session.id());
    streams.forgetStreamless(session.id());
    notices.publish(
        "closed", session.id(), (status == TunnelStatus.ERROR ? "error" : "closed") + " " + reason);
    return true;
  }

  /** A close no request made goes into the audit trail as well. */
  private static AuditEntry closeEntry(
      TunnelSession session, String reason, String closedBy, Instant now) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("session_id", session.id());
    details.put("agent_id", session.agentId().value());
    details.put("user_id", session.userId().value());
    details.put("reason", reason);
    return new AuditEntry(
        now,
        session.tenantId(),
        closedBy,
        "tunnel.close",
        "/api/v1/tunnel/" + session.id(),
        AuditOutcome.SUCCEEDED,
        null,
        null,
        details);
  }
}
