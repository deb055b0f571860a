package dev.courier.agent.sdk;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Serves the tunnel sessions an operator opens to this agent through the server (issue 9): live
 * channels such as a terminal. Register one with {@link CourierAgent#CourierAgent(AgentOptions,
 * ExecutorRegistry, TunnelHandler)}; the agent then reports the {@value #CAPABILITY} capability.
 * Without a handler the agent answers every {@code tunnel_open} with a {@code tunnel_error} of
 * {@value TunnelErrors#TERMINAL_DISABLED} and starts nothing.
 *
 * <p>The SDK keeps the sessions: it answers {@code tunnel_ready} once {@link #open} returned,
 * refuses data for a session it does not know ({@value TunnelErrors#UNKNOWN_SESSION}), and ends
 * every session of a connection when the server closes one, when the connection drops and when the
 * agent stops; {@link #close} is then called once for each session {@link #open} accepted.
 *
 * <p>Threading: calls for one session come one at a time, in the order the server sent them, on a
 * virtual thread of that session; different sessions are served concurrently. Methods should return
 * soon: start long work (processes, output readers) on threads of their own, and send from there
 * through the {@link TunnelSession}.
 */
public interface TunnelHandler {

  /** The capability an agent with a tunnel handler reports. */
  String CAPABILITY = "tunnel";

  /**
   * The server opened a session. Return to accept it.
   *
   * @throws TunnelRefusedException to refuse it; its message is sent as the {@code tunnel_error}
   */
  void open(TunnelSession session) throws TunnelRefusedException;

  /**
   * A {@code tunnel_data} message for one of the session's channels ({@code <session_id>:<name>}).
   * A problem with the channel is reported with {@link TunnelSession#error}.
   *
   * @param data seed 001's {@code {"type": ..., "payload": {...}}} object
   */
  void data(TunnelSession session, String channelId, JsonNode data);

  /**
   * The session ended: the server closed it, the connection to the server was lost or the agent is
   * stopping. Kill everything the session started before returning; from now on the session sends
   * nothing.
   */
  void close(TunnelSession session, String reason);
}
