package dev.courier.server.command;

import dev.courier.protocol.CommandStatus;
import java.time.Instant;

/**
 * Told of every status change of a rollout's child, inside the transaction that made it, so the
 * rollout's counters never disagree with its children.
 */
public interface RolloutProgress {

  /** For servers (and tests) without rollouts. */
  RolloutProgress NONE = (rolloutId, from, to, at) -> {};

  void childMoved(String rolloutId, CommandStatus from, CommandStatus to, Instant at);
}
