package dev.courier.server.agent;

import dev.courier.protocol.AgentId;
import java.time.Instant;

/**
 * The agents' open connections, as credential changes need to reach them: a revoked key must stop
 * working on a socket that is already open, not only on the next request, on whichever node holds
 * it. Implemented by the WebSocket side; called inside or after the transaction that made the
 * change, and acts only once it has committed.
 */
public interface AgentSessions {

  /**
   * The agent's key was rotated: a connection opened with {@code currentKeyHash} carries on, one
   * opened with {@code previousKeyHash} is closed when {@code previousKeyExpiresAt} passes, and one
   * opened with any other key of this agent is closed now.
   */
  void keyRotated(
      AgentId agent, String currentKeyHash, String previousKeyHash, Instant previousKeyExpiresAt);

  /**
   * Every key of the agent stopped working: its open connections get an {@code error} frame with
   * {@code code} and {@code message} and are closed at once.
   */
  void credentialsRevoked(AgentId agent, String code, String message);
}
