package dev.courier.agent.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.sdk.TunnelErrors;
import dev.courier.agent.sdk.TunnelHandler;
import dev.courier.agent.sdk.TunnelRefusedException;
import dev.courier.agent.sdk.TunnelSession;
import dev.courier.protocol.frame.AgentFrame;
import dev.courier.protocol.frame.TunnelData;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tunnel sessions of one WebSocket connection (docs/tunnels.md): answers {@code tunnel_open}
 * (ready, or refused when there is no {@link TunnelHandler}), routes {@code tunnel_data} to the
 * session its channel id names, and ends sessions on {@code tunnel_close} and, all of them, when
 * the connection ends. Sessions belong to a connection because the server forgets them when the
 * agent's socket drops; a reconnected agent starts with none.
 *
 * <p>Threading: the dispatcher calls in on the socket's listener thread and must not block, so each
 * session has a queue of events served in order by its own virtual thread (keystrokes must reach
 * the shell in the order they were typed); refusals are sent from short-lived virtual threads.
 * {@code sessions} is a concurrent map: a session is in it from {@code tunnel_open} until its close
 * was queued, and nothing is queued after the close.
 */
final class TunnelSessions {

  private static final Logger log = LoggerFactory.getLogger(TunnelSessions.class);

  /** How long {@link #closeAll} waits for handlers to finish closing (kill their processes). */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  /** Sends frames on the connection. */
  interface FrameSink {
    /** Sends one frame. */
    void send(AgentFrame frame) throws IOException;
  }

  private final TunnelHandler handler;
  private final FrameSink sink;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private volatile boolean ended;

  /**
   * @param handler serves accepted sessions; null refuses every session as {@code
   *     terminal_disabled}
   */
  TunnelSessions(TunnelHandler handler, FrameSink sink) {
    this.handler = handler;
    this.sink = sink;
  }

  /** {@code tunnel_open}: accept through the handler, or refuse. */
  void open(String sessionId) {
    if (handler == null) {
      log.info("Tunnel session {} refused: no terminal on this agent", sessionId);
      sendLater(
          new AgentFrame.TunnelError(
              sessionId,
              TunnelErrors.of(
                  TunnelErrors.TERMINAL_DISABLED, "the terminal is not enabled on this agent")));
      return;
    }
    if (ended) {
      return;
    }
    Session session = sessions.computeIfAbsent(sessionId, Session::new);
    session.queue(session::serveOpen);
  }

  /** {@code tunnel_data}: to the session named by the channel id's part before the last colon. */
  void data(String channelId, JsonNode data) {
    String sessionId = sessionIdOf(channelId);
    Session session = sessionId == null ? null : sessions.get(sessionId);
    if (session == null || handler == null) {
      sendLater(
          new AgentFrame.TunnelError(
              channelId,
              TunnelErrors.of(
                  TunnelErrors.UNKNOWN_SESSION,
                  "no open tunnel session " + (sessionId == null ? channelId : sessionId))));
      return;
    }
    session.queue(() -> session.serveData(channelId, data));
  }

  /**
   * {@code tunnel_close}: the session ends; unknown ids are ignored (it may have ended already).
   */
  void close(String sessionId, String reason) {
    Session session = sessions.remove(sessionId);
    if (session != null) {
      session.end(reason == null || reason.isBlank() ? "closed by the server" : reason);
    }
  }

  /**
   * The connection ended: ends every session, and waits a little for their handlers to have killed
   * what they started (the agent may be about to exit). Later frames are ignored.
   */
  void closeAll(String reason) {
    ended = true;
    List<Session> open = List.copyOf(sessions.values());
    open.forEach(session -> close(session.id, reason));
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    for (Session session : open) {
      session.awaitEnd(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
  }

  /** The number of sessions open now. */
  int openCount() {
    return sessions.size();
  }

  private static String sessionIdOf(String channelId) {
    int colon = channelId.lastIndexOf(':');
    String id = colon < 0 ? channelId : channelId.substring(0, colon);
    return id.isEmpty() ? null : id;
  }

  private void sendLater(AgentFrame frame) {
    Thread.ofVirtual().name("courier-tunnel-reply").start(() -> trySend(frame));
  }

  private boolean trySend(AgentFrame frame) {
    try {
      sink.send(frame);
      return true;
    } catch (IOException e) {
      log.debug("{} not sent: {}", frame.getClass().getSimpleName(), e.toString());
      return false;
    }
  }

  /** One session: its event queue, its worker thread and what the handler sees. */
  private final class Session implements TunnelSession {
    private final String id;
    private final BlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean accepted;
    private volatile boolean open = true;
    private volatile boolean finished;

    Session(String id) {
      this.id = id;
      this.worker = Thread.ofVirtual().name("courier-tunnel-" + id).unstarted(this::serve);
      worker.start();
    }

    void queue(Runnable event) {
      events.add(event);
    }

    private void serve() {
      while (!finished) {
        Runnable event;
        try {
          event = events.take();
        } catch (InterruptedException e) {
          return;
        }
        try {
          event.run();
        } catch (RuntimeException e) {
          log.warn("Tunnel session {}: handler failed", id, e);
        }
      }
    }

    void serveOpen() {
      if (!open) {
        return;
      }
      if (accepted) {
        // The server asked again (e.g. it did not see the first answer): answer again.
        trySend(new AgentFrame.TunnelReady(id));
        return;
      }
      try {
        handler.open(this);
      } catch (TunnelRefusedException e) {
        refuse(e.getMessage());
        return;
      } catch (RuntimeException e) {
        log.warn("Tunnel session {}: the handler failed to open it", id, e);
        refuse(TunnelErrors.of(TunnelErrors.INTERNAL, "the agent could not open the session"));
        return;
      }
      accepted = true;
      log.info("Tunnel session {} open", id);
      trySend(new AgentFrame.TunnelReady(id));
    }

    private void refuse(String error) {
      log.info("Tunnel session {} refused: {}", id, error);
      open = false;
      finished = true;
      sessions.remove(id, this);
      trySend(new AgentFrame.TunnelError(id, error));
    }

    void serveData(String channelId, JsonNode data) {
      if (!open || !accepted) {
        trySend(
            new AgentFrame.TunnelError(
                channelId,
                TunnelErrors.of(
                    TunnelErrors.UNKNOWN_SESSION, "tunnel session " + id + " is not open")));
        return;
      }
      try {
        handler.data(this, channelId, data);
      } catch (RuntimeException e) {
        log.warn("Tunnel channel {}: handler failed", channelId, e);
        error(channelId, TunnelErrors.of(TunnelErrors.INTERNAL, "the agent failed: " + e));
      }
    }

    /** Queues the end; the worker stops after it. Called once, by whoever removed the session. */
    void end(String reason) {
      queue(
          () -> {
            boolean wasAccepted = accepted;
            open = false;
            finished = true;
            if (wasAccepted) {
              log.info("Tunnel session {} closed: {}", id, reason);
              handler.close(this, reason);
            }
          });
    }

    void awaitEnd(Duration patience) {
      try {
        worker.join(patience);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public boolean send(String channelId, JsonNode data) {
      return open && trySend(new TunnelData(channelId, data));
    }

    @Override
    public boolean error(String channelId, String error) {
      return open && trySend(new AgentFrame.TunnelError(channelId, error));
    }

    @Override
    public boolean isOpen() {
      return open;
    }
  }
}
