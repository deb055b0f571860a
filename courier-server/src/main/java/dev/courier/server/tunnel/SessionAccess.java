package dev.courier.server.tunnel;

import dev.courier.server.auth.Operator;
import dev.courier.server.error.ConflictException;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.error.NotFoundException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which sessions an operator may see and use: their own, or with {@code auditor} rights every one
 * of their tenant; a session of another tenant does not exist for them.
 */
final class SessionAccess {

  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final TunnelRepository sessions;

  SessionAccess(TunnelRepository sessions) {
    this.sessions = sessions;
  }

  /** The operator's sessions: open ones, or also recently closed ones. */
  List<TunnelSession> mine(Operator operator, boolean openOnly, int limit) {
    return sessions.list(null, operator.userId(), openOnly, limit);
  }

  /** Every session of the operator's tenant (all tenants for a system admin), for auditors. */
  List<TunnelSession> all(Operator operator, boolean openOnly, int limit) {
    return sessions.list(operator.tenantScope().orElse(null), null, openOnly, limit);
  }

  /**
   * The session if the operator may see it: for its owner, or with {@code auditor} rights for
   * anyone of its tenant.
   */
  TunnelSession visible(Operator operator, String sessionId) {
    String id = uuid(sessionId, "session_id");
    TunnelSession session =
        sessions
            .find(id)
            .filter(s -> operator.tenantScope().map(s.tenantId()::equals).orElse(true))
            .orElseThrow(
                () -> new NotFoundException("no tunnel session " + sessionId, "session_id"));
    return session;
  }

  /** A session's transcript, in order, for auditors. */
  List<TranscriptEntry> transcript(Operator operator, String sessionId, long afterSeq, int limit) {
    TunnelSession session = visible(operator, sessionId);
    return sessions.transcript(session.id(), afterSeq, limit);
  }

  /**
   * The session if it is the operator's own: 404 if unknown (or another tenant's), 403 if another
   * operator's.
   *
   * @param open also require it to be open (409 otherwise)
   */
  TunnelSession owned(Operator operator, String sessionId, boolean open) {
    TunnelSession session = visible(operator, sessionId);
    if (!session.userId().equals(operator.userId())) {
      throw new ForbiddenException(
          "tunnel session " + sessionId + " belongs to another operator", "session_id");
    }
    if (open && !session.isOpen()) {
      throw new ConflictException(
          "tunnel session "
              + sessionId
              + " is "
              + session.status().wireName()
              + (session.closeReason() == null ? "" : " (" + session.closeReason() + ")"),
          "session_id");
    }
    return session;
  }

  /** How the transcript and the audit trail name the operator. */
  static String actor(Operator operator) {
    return "user:" + operator.username();
  }

  static String uuid(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(field + " is required", field);
    }
    if (!UUID_TEXT.matcher(value).matches()) {
      throw new InvalidInputException(field + " must be a UUID", field);
    }
    return value.toLowerCase(Locale.ROOT);
  }
}
