package dev.courier.agent.sdk.internal;

import dev.courier.protocol.CommandId;
import dev.courier.protocol.frame.AgentFrame.CommandResult;

/**
 * The three things the command path says to the server, whichever transport carries them: the
 * WebSocket while it is authenticated, HTTP otherwise.
 */
public interface AgentLink {

  /** How an acknowledge ended. */
  enum Ack {
    /** This agent now owns the command: execute it. */
    ACCEPTED,
    /** Someone else has it, it was already acknowledged, or it is no longer pending: skip it. */
    REFUSED,
    /** No answer (connection lost, server error): skip it; it stays pending on the server. */
    UNAVAILABLE
  }

  /** How sending a result ended. */
  enum Delivery {
    /** Stored by the server now or earlier: drop it from the outbox. */
    CONFIRMED,
    /** The server will never take it (not this agent's command, invalid): drop it, log it. */
    REJECTED,
    /** Try again later. */
    RETRY
  }

  /**
   * Claims a command before executing it.
   *
   * @throws AgentUnauthorizedException when the server no longer accepts the agent key
   */
  Ack acknowledge(CommandId id);

  /** Says execution started; best effort. */
  void reportRunning(CommandId id);

  /**
   * Sends a final result.
   *
   * @throws AgentUnauthorizedException when the server no longer accepts the agent key
   */
  Delivery sendResult(CommandResult result);

  /** {@code "websocket"} or {@code "poll"}. */
  String name();
}
