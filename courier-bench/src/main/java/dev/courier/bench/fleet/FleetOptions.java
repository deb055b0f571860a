package dev.courier.bench.fleet;

import java.time.Duration;

/**
 * How the simulated fleet behaves.
 *
 * @param httpShare fraction of agents (0–1) that use HTTP instead of the WebSocket; half of them
 *     poll (seed 004), half send HTTP heartbeats (seed 000)
 * @param executionDelay how long the simulated executor takes before reporting its result
 * @param minBackoff first reconnect delay after a lost connection (the agent SDK's default)
 * @param maxBackoff longest reconnect delay
 */
public record FleetOptions(
    double httpShare, Duration executionDelay, Duration minBackoff, Duration maxBackoff) {

  public FleetOptions {
    if (httpShare < 0 || httpShare > 1) {
      throw new IllegalArgumentException("http share must be between 0 and 1");
    }
  }

  public static FleetOptions defaults() {
    return new FleetOptions(0, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(60));
  }

  public FleetOptions withHttpShare(double share) {
    return new FleetOptions(share, executionDelay, minBackoff, maxBackoff);
  }

  public FleetOptions withExecutionDelay(Duration delay) {
    return new FleetOptions(httpShare, delay, minBackoff, maxBackoff);
  }
}
