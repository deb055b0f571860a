package dev.courier.bench.fleet;

import dev.courier.protocol.AgentId;

/** One agent of the simulated fleet, whatever protocol it speaks. */
public interface SimulatedAgent {

  AgentId id();

  /** {@code websocket}, {@code poll} or {@code heartbeat}. */
  String protocol();

  /** Opens the connection (WebSocket) or starts the polling loop (HTTP). */
  void start();

  /** Closes for good; no reconnect. */
  void stop();
}
