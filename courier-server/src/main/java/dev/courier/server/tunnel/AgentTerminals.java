package dev.courier.server.tunnel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.frame.TunnelData;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The terminal on the agent, one per session on its channel {@code <session>:terminal}: the window
 * size to open it with, whether it runs, and the frames that start, resize and feed it.
 */
final class AgentTerminals {

  private final TunnelRepository sessions;
  private final TunnelLink link;
  private final OperatorStreams streams;

  /** Per session: columns, rows, and 1 while the terminal runs on the agent. */
  private final Map<String, int[]> terminals = new ConcurrentHashMap<>();

  AgentTerminals(TunnelRepository sessions, TunnelLink link, OperatorStreams streams) {
    this.sessions = sessions;
    this.link = link;
    this.streams = streams;
  }

  /** The session is not ready yet: the size to start the terminal with once it is. */
  void startWhenReady(String sessionId, int cols, int rows) {
    terminals.putIfAbsent(sessionId, new int[] {cols, rows, 0});
  }

  /** The agent became ready: starts the terminal a stream here waits for. */
  void agentReady(String sessionId) {
    int[] size = terminals.get(sessionId);
    if (size != null && streams.any(sessionId)) {
      sessions.find(sessionId).ifPresent(session -> start(session, size[0], size[1]));
    }
  }

  /** Starts the terminal unless it runs already (a stream attaching again gets the running one). */
  void start(TunnelSession session, int cols, int rows) {
    int[] size = terminals.computeIfAbsent(session.id(), id -> new int[] {cols, rows, 0});
    synchronized (size) {
      if (size[2] == 1) {
        return;
      }
      size[2] = 1;
    }
    ObjectNode data = TunnelMessages.message("terminal_open");
    TunnelMessages.payload(data).put("cols", size[0]).put("rows", size[1]);
    send(session, data);
  }

  /** The shell on the agent exited or failed: the next start opens the terminal again. */
  void stopped(String sessionId) {
    int[] size = terminals.get(sessionId);
    if (size != null) {
      synchronized (size) {
        size[2] = 0;
      }
    }
  }

  void forget(String sessionId) {
    terminals.remove(sessionId);
  }

  void resize(TunnelSession session, int cols, int rows) {
    ObjectNode data = TunnelMessages.message("terminal_resize");
    TunnelMessages.payload(data).put("cols", cols).put("rows", rows);
    send(session, data);
  }

  void input(TunnelSession session, String text) {
    ObjectNode message = TunnelMessages.message("terminal_input");
    TunnelMessages.payload(message).put("data", text);
    send(session, message);
  }

  private void send(TunnelSession session, ObjectNode data) {
    if (!link.send(session.agentId(), new TunnelData(session.id() + ":terminal", data))) {
      streams.notify(session.id(), listener -> listener.error("the agent is not reachable"));
    }
  }
}
