package dev.courier.server.command;

import java.time.Instant;
import java.util.Objects;

/**
 * A command an agent ran on its own schedule, as it reports it for the history.
 *
 * @param localRunId unique per agent; the same id reported again is the same run
 * @param schedule the agent's local schedule, or null
 * @param startedAt when it started, or null if only the completion is known
 */
public record LocalRun(
    String localRunId,
    String schedule,
    String type,
    String paramsJson,
    Instant startedAt,
    Instant completedAt,
    ReportedResult reported) {

  public LocalRun {
    Objects.requireNonNull(localRunId, "localRunId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(paramsJson, "paramsJson");
    Objects.requireNonNull(reported, "reported");
  }
}
