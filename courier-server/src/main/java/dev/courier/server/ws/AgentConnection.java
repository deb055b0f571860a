package dev.courier.server.ws;

import dev.courier.protocol.frame.FrameCodec;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.server.agent.Agent;
import io.javalin.websocket.WsContext;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's open WebSocket. Frames can be sent from many threads (API requests pushing commands,
 * the socket's own handler acknowledging), and Jetty allows one send at a time, hence the lock.
 * Inside {@link CoalescedSends#around}, frames wait in Jetty's write buffer until the task flushes
 * the connection.
 */
final class AgentConnection implements CoalescedSends.Flushable {

  private static final Logger log = LoggerFactory.getLogger(AgentConnection.class);

  private static final AtomicBoolean warnedWithoutCoreSession = new AtomicBoolean();

  /** Answers outstanding before the socket stops reading the agent's frames. */
  static final int MAX_UNANSWERED = 64;

  private final WsContext socket;

  /** Jetty's own session under Javalin's, which can hold frames back; null if there is none. */
  private final CoreSession frames;

  private final Agent agent;
  private final FrameCodec codec;
  private final String keyHash;
  private final ReentrantLock sending = new ReentrantLock();

  /**
   * Answers to an agent's frames in their order. Past {@link #MAX_UNANSWERED} outstanding (reports
   * whose writes are still to commit), the socket's handler blocks and Jetty stops reading the
   * agent's frames until they commit.
   */
  private final OrderedReplies<ServerFrame> replies =
      new OrderedReplies<>(this::send, MAX_UNANSWERED);

  /** Names this connection across the cluster (a session id is unique on one node only). */
  private final String id = UUID.randomUUID().toString();

  /**
   * Whether this node has seen its own cluster announcement of this connection come back: from then
   * on, an announcement of the same agent from another node is newer than this connection.
   */
  private volatile boolean announced;

  /**
   * When the key this connection authenticated with stops working (a rotation's grace), or null.
   */
  private volatile Instant keyExpiresAt;

  /**
   * @param keyHash the hash of the key the agent authenticated this connection with
   */
  AgentConnection(WsContext socket, Agent agent, String keyHash, FrameCodec codec) {
    this.socket = socket;
    this.frames =
        socket.session instanceof WebSocketSession session ? session.getCoreSession() : null;
    if (frames == null && !warnedWithoutCoreSession.getAndSet(true)) {
      // Only a Javalin whose sessions are not Jetty's would get here: say so once, not silently.
      log.warn(
          "Agent sockets are {}, not Jetty's: acknowledgements are sent one write each",
          socket.session.getClass().getName());
    }
    this.agent = agent;
    this.keyHash = keyHash;
    this.codec = codec;
    if (keyHash.equals(agent.previousKeyHash())) {
      this.keyExpiresAt = agent.previousKeyExpiresAt();
    }
  }

  Agent agent() {
    return agent;
  }

  String keyHash() {
    return keyHash;
  }

  void keyExpiresAt(Instant at) {
    keyExpiresAt = at;
  }

  boolean keyExpiredBy(Instant now) {
    Instant at = keyExpiresAt;
    return at != null && !now.isBefore(at);
  }

  String id() {
    return id;
  }

  boolean announced() {
    return announced;
  }

  void markAnnounced() {
    announced = true;
  }

  String sessionId() {
    return socket.sessionId();
  }

  /**
   * Sends a frame; false if the connection is gone (the agent will get the work by other means).
   */
  boolean send(ServerFrame frame) {
    String text = codec.encode(frame);
    sending.lock();
    try {
      if (!socket.session.isOpen()) {
        return false;
      }
      if (frames != null && CoalescedSends.flushLater(this)) {
        frames.sendFrame(new Frame(OpCode.TEXT, text), Callback.NOOP, true);
      } else {
        socket.send(text);
      }
      return true;
    } catch (RuntimeException e) {
      log.debug("Sending to agent {} failed: {}", agent.id(), e.getMessage());
      return false;
    } finally {
      sending.unlock();
    }
  }

  /** Writes the frames held back by {@link CoalescedSends}. */
  @Override
  public void flush() {
    sending.lock();
    try {
      if (frames != null && socket.session.isOpen()) {
        frames.flush(Callback.NOOP);
      }
    } finally {
      sending.unlock();
    }
  }

  /**
   * Sends {@code reply} once it is ready and every reply queued before it was sent, so an agent
   * gets its answers in the order of its frames although their writes commit later. Called by the
   * socket's handler only, one frame at a time.
   */
  void replyInOrder(CompletableFuture<ServerFrame> reply) {
    replies.add(reply);
  }

  /**
   * Waits until every reply queued so far was sent: a frame handled in place then sees the writes
   * of the reports before it (output after {@code running}, say).
   */
  void awaitReplies() {
    replies.awaitSent();
  }

  void close(int code, String reason) {
    try {
      socket.closeSession(code, reason);
    } catch (RuntimeException e) {
      log.debug("Closing agent {} socket failed: {}", agent.id(), e.getMessage());
    }
  }
}
