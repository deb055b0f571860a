package dev.courier.agent.sdk;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One tunnel session, as a {@link TunnelHandler} sees it: its id and a way to send on its channels.
 * Thread-safe; sends go out one frame at a time, in the order they were made, and block while the
 * connection is busy (so a fast producer is slowed to the network's pace).
 */
public interface TunnelSession {

  /** The session id the server chose. */
  String id();

  /**
   * Sends {@code tunnel_data} on {@code channelId}.
   *
   * @param data seed 001's {@code {"type": ..., "payload": {...}}} object
   * @return false, sending nothing, when the session has ended or the connection is down
   */
  boolean send(String channelId, JsonNode data);

  /**
   * Sends {@code tunnel_error} for {@code channelId}: a message starting with one of the {@link
   * TunnelErrors} codes.
   *
   * @return false, sending nothing, when the session has ended or the connection is down
   */
  boolean error(String channelId, String error);

  /** True until the session ends. */
  boolean isOpen();
}
