package dev.courier.protocol.http;

import java.time.Instant;
import java.util.List;

/**
 * Answer to an HTTP heartbeat: commands the server has already marked {@code accepted} for this
 * agent (no acknowledge call needed), the poll interval and the server's clock.
 */
public record HeartbeatResponse(
    List<PolledCommand> pendingCommands, Integer pollIntervalSeconds, Instant serverTime) {
  /** A missing list reads as empty. */
  public HeartbeatResponse {
    pendingCommands = pendingCommands == null ? List.of() : List.copyOf(pendingCommands);
  }
}
