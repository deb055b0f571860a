package dev.courier.server.tunnel;

import dev.courier.server.auth.Operator;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.RateLimitedException;
import java.time.Clock;

/**
 * The operator's side of the terminal: streams attach to a session and detach, resize its window,
 * and type into it; what they type passes the policy and the rate limit line by line before it
 * reaches the agent.
 */
final class TerminalStreams {

  private final SessionAccess access;
  private final TunnelPolicies policies;
  private final CommandAdmission admission;
  private final SessionRecords records;
  private final OperatorStreams streams;
  private final AgentTerminals terminals;
  private final Clock clock;

  TerminalStreams(
      SessionAccess access,
      TunnelPolicies policies,
      CommandAdmission admission,
      SessionRecords records,
      OperatorStreams streams,
      AgentTerminals terminals,
      Clock clock) {
    this.access = access;
    this.policies = policies;
    this.admission = admission;
    this.records = records;
    this.streams = streams;
    this.terminals = terminals;
    this.clock = clock;
  }

  TunnelService.Stream attach(
      Operator operator,
      String sessionId,
      TunnelListener listener,
      int cols,
      int rows,
      String source) {
    TunnelSession session = access.owned(operator, sessionId, true);
    TunnelService.Stream stream =
        new TunnelService.Stream(operator, session.id(), listener, source, policies, clock);
    streams.add(stream);
    if (session.status() == TunnelStatus.READY) {
      listener.status("ready", null);
      terminals.start(session, cols, rows);
    } else {
      terminals.startWhenReady(session.id(), cols, rows);
      listener.status("active", "waiting for the agent to answer");
    }
    return stream;
  }

  void detach(TunnelService.Stream stream) {
    streams.remove(stream);
  }

  void resize(TunnelService.Stream stream, int cols, int rows) {
    TunnelSession session = access.owned(stream.operator(), stream.sessionId(), true);
    terminals.resize(session, cols, rows);
  }

  /**
   * Keystrokes from the operator. Without a policy they go to the agent as typed, except each line
   * end, which waits for the rate limit (a refused line is cleared with Ctrl-U). With a policy the
   * terminal is line-buffered: a line goes to the agent only once it is complete and allowed.
   */
  void input(TunnelService.Stream stream, String data) {
    TunnelSession session = access.owned(stream.operator(), stream.sessionId(), true);
    if (session.status() != TunnelStatus.READY) {
      stream.listener().error("the agent has not answered the session yet");
      return;
    }
    TunnelPolicy policy = stream.policy(session.tenantId());
    boolean buffered = !policy.isEmpty();
    StringBuilder held = stream.held();
    StringBuilder out = new StringBuilder();
    for (TerminalInput.Piece piece : stream.input().feed(data)) {
      if (!piece.endsLine()) {
        if (buffered) {
          held.append(piece.text());
        } else {
          out.append(piece.text());
        }
        continue;
      }
      String text = piece.text();
      int terminatorAt = text.length() - (text.endsWith("\r\n") ? 2 : 1);
      String before = text.substring(0, terminatorAt);
      String terminator = text.substring(terminatorAt);
      String line = piece.line();
      if (!buffered) {
        out.append(before);
      } else {
        held.append(before);
      }
      boolean allowed = true;
      if (!line.isBlank()) {
        try {
          admission.admit(
              stream.operator(), session, session.id() + ":terminal", line, stream.source(), null);
        } catch (ForbiddenException | RateLimitedException refused) {
          allowed = false;
          stream.listener().error(refused.getMessage());
        }
      }
      if (buffered) {
        if (allowed) {
          out.append(held).append(terminator);
        }
        held.setLength(0);
      } else {
        out.append(allowed ? terminator : "\u0015");
      }
    }
    if (!out.isEmpty()) {
      terminals.input(session, out.toString());
      records.touch(session.id(), out.length(), 0);
    }
  }
}
