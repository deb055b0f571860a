package dev.courier.protocol.http;

import java.util.List;

/**
 * Answer to {@code POST /api/v1/agents/local-runs}: the command id each run is recorded under, in
 * the request's order; a run reported before keeps its first id.
 */
public record LocalRunsResponse(List<String> commandIds) {
  public LocalRunsResponse {
    commandIds = List.copyOf(commandIds);
  }
}
