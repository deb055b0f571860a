package dev.courier.server.tunnel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.error.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * What an agent connected to this node says about its sessions ({@code tunnel_ready}, {@code
 * tunnel_data}, {@code tunnel_error}, its socket closing): recorded here, then passed on as notices
 * to wherever the operator waits or watches.
 */
final class AgentFrames {

  private final TunnelRepository sessions;
  private final TunnelLink link;
  private final SessionRecords records;
  private final TunnelNotices notices;
  private final SessionCloser closer;
  private final Clock clock;

  AgentFrames(
      TunnelRepository sessions,
      TunnelLink link,
      SessionRecords records,
      TunnelNotices notices,
      SessionCloser closer,
      Clock clock) {
    this.sessions = sessions;
    this.link = link;
    this.records = records;
    this.notices = notices;
    this.closer = closer;
    this.clock = clock;
  }

  void ready(AgentId agent, String sessionId) {
    TunnelSession session = agentSession(agent, sessionId);
    if (!session.isOpen()) {
      // Closed while the agent was opening it (a timeout, the operator): the agent forgets it too.
      link.send(agent, new ServerFrame.TunnelClose(session.id(), session.closeReason()));
      return;
    }
    if (sessions.markReady(session.id(), clock.instant())) {
      records.record(session, "session", "ready", null, true);
      records.touched(session.id(), clock.instant());
    }
    notices.publish("ready", session.id(), null);
  }

  void data(AgentId agent, String channel, JsonNode data) {
    TunnelSession session = agentSession(agent, sessionOf(channel));
    String type = data.path("type").asText("");
    JsonNode payload = data.path("payload");
    if (!type.equals("terminal_output")) {
      throw new InvalidInputException(
          "unknown tunnel data type '" + type + "'; agents send terminal_output", "data.type");
    }
    String stdout = payload.path("stdout").asText("");
    String stderr = payload.path("stderr").asText("");
    JsonNode exit = payload.get("exit_code");
    long bytes =
        stdout.getBytes(StandardCharsets.UTF_8).length
            + stderr.getBytes(StandardCharsets.UTF_8).length;
    String recorded =
        stdout
            + (stderr.isEmpty() ? "" : (stdout.isEmpty() ? "" : "\n") + "[stderr] " + stderr)
            + (exit == null || exit.isNull() ? "" : "\n[exit " + exit.asText() + "]");
    records.record(session, channel, "output", recorded, false);
    records.touch(session.id(), 0, bytes);
    if (!channel.endsWith(":terminal")) {
      notices.publish("cmd", channel, payload.toString());
      return;
    }
    String text = stdout + stderr;
    if (!text.isEmpty()) {
      notices.publish("out", session.id(), text);
    }
    if (exit != null && !exit.isNull()) {
      notices.publish("exited", session.id(), exit.asText());
    }
  }

  void error(AgentId agent, String channel, String error) {
    TunnelSession session = agentSession(agent, sessionOf(channel));
    records.record(session, channel, "error", error, true);
    if (channel.equals(session.id())) {
      // The session itself failed: refused (terminal_disabled) or lost on the agent.
      closer.close(session, TunnelStatus.ERROR, error, "agent:" + agent.value(), true);
      return;
    }
    if (channel.endsWith(":terminal")) {
      notices.publish("err", session.id(), error);
    } else {
      notices.publish("cmderr", channel, error);
    }
    if (error.startsWith("unknown_session")) {
      closer.close(session, TunnelStatus.ERROR, error, "agent:" + agent.value(), false);
    }
  }

  void disconnected(AgentId agent) {
    for (TunnelSession session : sessions.openForAgent(agent)) {
      closer.close(
          session, TunnelStatus.CLOSED, "agent_disconnected", "agent:" + agent.value(), false);
    }
  }

  private TunnelSession agentSession(AgentId agent, String sessionId) {
    return sessions
        .find(sessionId)
        .filter(session -> session.agentId().equals(agent))
        .orElseThrow(
            () -> new NotFoundException("no tunnel session " + sessionId + " for this agent"));
  }

  private static String sessionOf(String channel) {
    int colon = channel.indexOf(':');
    return colon < 0 ? channel : channel.substring(0, colon);
  }
}
