package dev.courier.server.fleet;

import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rollouts, their targets and their counters. */
public interface RolloutRepository {

  void insert(Rollout rollout);

  /**
   * Writes the rollout's targets, each in {@code dispatched} with the child created for it (by
   * position), and moves that many from queued to pending.
   */
  void insertTargets(
      Rollout rollout, List<RolloutTarget> targets, Map<Integer, CommandId> dispatched, Instant at);

  Optional<Rollout> find(String id);

  Optional<Rollout> find(TenantId tenantId, String id);

  /** Reads the rollout and locks it until the current transaction ends. */
  Optional<Rollout> lock(String id);

  Page<Rollout> list(RolloutQuery query, PageRequest page);

  /** Ids of rollouts still dispatching, for the sweep that keeps them moving. */
  List<String> active(int limit);

  /** Up to {@code limit} queued targets, first selected first. */
  List<RolloutTarget> nextQueued(String rolloutId, int limit);

  /** Records the child created for each target, and moves that many from queued to pending. */
  void dispatched(String rolloutId, Map<Integer, CommandId> childrenByPosition, Instant at);

  /** Marks every queued target skipped; returns how many. */
  int skipQueued(String rolloutId, Instant at);

  /** Moves one child's count from {@code from} to {@code to}. */
  void moveChild(String rolloutId, CommandStatus from, CommandStatus to, Instant at);

  /** Adds each delta to its status's count (children moved between statuses), in one write. */
  void addToCounts(String rolloutId, Map<CommandStatus, Integer> deltas, Instant at);

  void finish(String rolloutId, RolloutStatus status, String reason, Instant at);

  /** Moves a canary rollout on to {@code running}. */
  void promote(String rolloutId, Instant at);
}
