package dev.courier.server.ws;

import dev.courier.protocol.frame.FrameCodec;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.server.agent.Agent;
import io.javalin.websocket.WsContext;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's open WebSocket. Frames can be sent from many threads (API requests pushing commands,
 * the socket's own handler acknowledging), and Jetty allows one send at a time, hence the lock.
 */
final class AgentConnection {

  private static final Logger log = LoggerFactory.getLogger(AgentConnection.class);

  private final WsContext socket;
  private final Agent agent;
  private final FrameCodec codec;
  private final String keyHash;
  private final ReentrantLock sending = new ReentrantLock();

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
      socket.send(text);
      return true;
    } catch (RuntimeException e) {
      log.debug("Sending to agent {} failed: {}", agent.id(), e.getMessage());
      return false;
    } finally {
      sending.unlock();
    }
  }

  void close(int code, String reason) {
    try {
      socket.closeSession(code, reason);
    } catch (RuntimeException e) {
      log.debug("Closing agent {} socket failed: {}", agent.id(), e.getMessage());
    }
  }
}
