package dev.courier.protocol.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One command an agent ran on its own (a local schedule, seed 004's standalone and hybrid modes),
 * reported into the server's command history: {@code POST /api/v1/agents/local-runs} carries a list
 * of these.
 *
 * @param localRunId the agent's own id for the run, unique per agent: reporting it again records
 *     nothing new
 * @param schedule the local schedule's name, or null
 * @param startedAt when the run started; null means {@code result.completedAt}
 * @param result the outcome, with the fields of a server command's result
 */
public record LocalRunReport(
    String localRunId,
    String schedule,
    String type,
    ObjectNode params,
    Instant startedAt,
    ResultReport result) {

  public LocalRunReport {
    Objects.requireNonNull(localRunId, "localRunId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(result, "result");
  }
}
