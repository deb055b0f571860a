package dev.courier.server.fleet;

/**
 * A rollout's targets by where each is. Every target is in exactly one of {@code queued} (waiting
 * for a concurrency slot, no command yet), {@code skipped} (never dispatched because the rollout
 * stopped) or one child-command status, so they add up to {@code targets}. {@code offline} counts
 * the targets whose agent was offline when selected and overlaps the others.
 */
public record RolloutCounts(
    int targets,
    int queued,
    int pending,
    int accepted,
    int running,
    int cancelling,
    int completed,
    int failed,
    int timedOut,
    int cancelled,
    int expired,
    int skipped,
    int offline) {

  public static RolloutCounts selected(int targets, int offline) {
    return new RolloutCounts(targets, targets, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, offline);
  }

  /** Children dispatched and not finished. */
  public int inFlight() {
    return pending + accepted + running + cancelling;
  }

  /** Children that ended badly: what {@code max_errors} counts. */
  public int errors() {
    return failed + timedOut + expired;
  }

  public int dispatched() {
    return targets - queued - skipped;
  }

  /** Children in a final state. */
  public int finished() {
    return completed + failed + timedOut + cancelled + expired;
  }
}
