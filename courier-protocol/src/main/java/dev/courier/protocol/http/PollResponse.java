package dev.courier.protocol.http;

import java.util.List;

/** {@code GET /api/v1/commands?status=pending&limit=N} as an agent sees it. */
public record PollResponse(List<PolledCommand> commands, Integer pollIntervalSeconds) {
  /** A missing list reads as empty. */
  public PollResponse {
    commands = commands == null ? List.of() : List.copyOf(commands);
  }
}
