package dev.courier.bench.fleet;

import dev.courier.protocol.CommandId;

/**
 * What a benchmark wants to know from the simulated fleet, with the {@link System#nanoTime()} at
 * which it happened. Called from the agents' I/O threads: implementations must be quick and
 * thread-safe.
 */
public interface FleetObserver {

  /** The agent's session is authenticated ({@code auth_ack}, or a first successful HTTP call). */
  default void authenticated(SimulatedAgent agent, long nanos) {}

  /** A command reached the agent (a {@code command} frame, or a poll or heartbeat answer). */
  default void commandReceived(SimulatedAgent agent, CommandId command, long nanos) {}

  /**
   * The server confirmed it stored the agent's acceptance ({@code ack} of {@code command_status
   * accepted}, or the answer to {@code POST .../acknowledge}).
   */
  default void acceptanceStored(SimulatedAgent agent, CommandId command, long nanos) {}

  /** The server confirmed it stored the agent's result ({@code ack} of {@code command_result}). */
  default void resultStored(SimulatedAgent agent, CommandId command, long nanos) {}

  /** The server refused something the agent sent, or a call failed. */
  default void error(SimulatedAgent agent, String what) {}
}
