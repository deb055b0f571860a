package dev.courier.server.tunnel;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the sessions nobody closed: those a previous run left open, those past the idle timeout or
 * their maximum length, those whose agent or operator went away, those of lost nodes, and at
 * shutdown this node's own.
 */
final class TunnelSweep {

  private static final Logger log = LoggerFactory.getLogger(TunnelSweep.class);

  private static final int SWEEP_BATCH = 200;

  private final TunnelRepository sessions;
  private final TunnelLink link;
  private final SessionCloser closer;
  private final OperatorStreams streams;
  private final TunnelNotices notices;
  private final TunnelSettings settings;
  private final String nodeId;
  private final Clock clock;

  TunnelSweep(
      TunnelRepository sessions,
      TunnelLink link,
      SessionCloser closer,
      OperatorStreams streams,
      TunnelNotices notices,
      TunnelSettings settings,
      String nodeId,
      Clock clock) {
    this.sessions = sessions;
    this.link = link;
    this.closer = closer;
    this.streams = streams;
    this.notices = notices;
    this.settings = settings;
    this.nodeId = nodeId;
    this.clock = clock;
  }

  int closeLeftovers() {
    List<TunnelSession> leftovers =
        !notices.inCluster()
            ? sessions.allOpen(Integer.MAX_VALUE)
            : Stream.concat(
                    sessions.openOnNode(nodeId, Integer.MAX_VALUE).stream(),
                    sessions
                        .notVouchedSince(
                            clock.instant().minus(settings.nodeLiveness()), Integer.MAX_VALUE)
                        .stream())
                .toList();
    int closed = 0;
    for (TunnelSession session : leftovers) {
      if (closer.close(session, TunnelStatus.CLOSED, "server_restart", "system", true)) {
        closed++;
      }
    }
    if (closed > 0) {
      log.info("Closed {} tunnel session(s) left open by a previous run", closed);
    }
    return closed;
  }

  int sweep() {
    Instant now = clock.instant();
    int closed = 0;
    for (TunnelSession session :
        sessions.idleSince(now.minus(settings.idleTimeout()), SWEEP_BATCH)) {
      closed += closer.close(session, TunnelStatus.CLOSED, "idle_timeout", "system", true) ? 1 : 0;
    }
    for (TunnelSession session : sessions.pastExpiry(now, SWEEP_BATCH)) {
      closed += closer.close(session, TunnelStatus.CLOSED, "max_duration", "system", true) ? 1 : 0;
    }
    for (TunnelSession session : sessions.openOnNode(nodeId, SWEEP_BATCH)) {
      if (!link.isConnected(session.agentId())
          && session.openedAt().isBefore(now.minusSeconds(2))) {
        closed +=
            closer.close(session, TunnelStatus.CLOSED, "agent_disconnected", "system", false)
                ? 1
                : 0;
      }
    }
    if (notices.inCluster()) {
      // Only nodes of a cluster vouch: a lone node's sessions are all its own.
      sessions.vouch(nodeId, now);
      for (TunnelSession session :
          sessions.notVouchedSince(now.minus(settings.nodeLiveness()), SWEEP_BATCH)) {
        closed += closer.close(session, TunnelStatus.CLOSED, "node_lost", "system", true) ? 1 : 0;
      }
    }
    closed += streams.closeAbandoned(now, this::closeAbandoned);
    return closed;
  }

  /** The operator did not come back to the session within the grace. */
  private boolean closeAbandoned(String sessionId) {
    return sessions
        .find(sessionId)
        .filter(TunnelSession::isOpen)
        .map(
            open ->
                closer.close(open, TunnelStatus.CLOSED, "operator_disconnected", "system", true))
        .orElse(false);
  }

  void closeAll(String reason) {
    for (TunnelSession session : sessions.openOnNode(nodeId, Integer.MAX_VALUE)) {
      try {
        closer.close(session, TunnelStatus.CLOSED, reason, "system", true);
      } catch (RuntimeException e) {
        log.warn("Closing tunnel session {} at shutdown failed: {}", session.id(), e.toString());
      }
    }
  }
}
