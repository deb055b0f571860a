package dev.courier.protocol.http;

import java.util.List;

/** Body of {@code POST /api/v1/agents/local-runs}: up to 100 runs, oldest first. */
public record LocalRunsRequest(List<LocalRunReport> runs) {
  public LocalRunsRequest {
    runs = runs == null ? List.of() : List.copyOf(runs);
  }
}
