package dev.courier.server.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.envelope.CanonicalJson;
import dev.courier.server.command.Command;
import dev.courier.server.command.CommandNotifier;
import dev.courier.server.command.CommandRepository;
import dev.courier.server.command.CommandType;
import dev.courier.server.command.CommandTypeCatalog;
import dev.courier.server.command.RolloutProgress;
import dev.courier.server.common.GroupCommit;
import dev.courier.server.common.Ids;
import dev.courier.server.common.Transactions;
import dev.courier.server.events.Event;
import dev.courier.server.events.EventOutbox;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves rollouts along: creates children as slots free up (all of a wave in one batch), counts each
 * child's moves in the child's own transaction, stops dispatch when errors pass {@code max_errors}
 * or a canary child fails, and finishes the rollout when nothing is left in flight.
 *
 * <p>Every decision is taken with the rollout's row locked, so two nodes (or a child's completion
 * racing the periodic sweep) never dispatch the same slot twice.
 */
public final class RolloutDispatcher implements RolloutProgress {

  static final int SWEEP_BATCH = 100;

  private static final Logger log = LoggerFactory.getLogger(RolloutDispatcher.class);

  /** Key of a batch's summed count changes, by rollout id in order. */
  private static final Object COUNT_DELTAS = new Object();

  private final Transactions transactions;
  private final RolloutRepository rollouts;
  private final CommandRepository commands;
  private final EventOutbox events;
  private final CommandTypeCatalog types;
  private final CommandNotifier notifier;
  private final Clock clock;

  /** Rollouts with a child finished since their last release began. */
  private final Set<String> releaseWanted = ConcurrentHashMap.newKeySet();

  /** Rollouts whose releases a thread is running now. */
  private final Set<String> releasing = ConcurrentHashMap.newKeySet();

  public RolloutDispatcher(
      Transactions transactions,
      RolloutRepository rollouts,
      CommandRepository commands,
      EventOutbox events,
      CommandTypeCatalog types,
      CommandNotifier notifier,
      Clock clock) {
    this.transactions = transactions;
    this.rollouts = rollouts;
    this.commands = commands;
    this.events = events;
    this.types = types;
    this.notifier = notifier;
    this.clock = clock;
  }

  /**
   * Counts the move; a child that finished frees a slot, filled once this transaction commits. In a
   * group commit's batch the moves of all its children are summed and each rollout's row is written
   * once, just before the batch commits, in rollout order: the row is locked for the commit only,
   * not from the first child of a batch to its end, so the writers of a fan-out do not queue for
   * it.
   */
  @Override
  public void childMoved(String rolloutId, CommandStatus from, CommandStatus to, Instant at) {
    Map<String, Map<CommandStatus, Integer>> deltas =
        GroupCommit.perBatch(transactions, COUNT_DELTAS, TreeMap::new, this::writeCounts);
    if (deltas == null) {
      rollouts.moveChild(rolloutId, from, to, at);
    } else {
      Map<CommandStatus, Integer> delta =
          deltas.computeIfAbsent(rolloutId, id -> new EnumMap<>(CommandStatus.class));
      delta.merge(from, -1, Integer::sum);
      delta.merge(to, 1, Integer::sum);
    }
    if (to.isTerminal()) {
      transactions.afterCommit(() -> releaseSoon(rolloutId));
    }
  }

  private void writeCounts(Map<String, Map<CommandStatus, Integer>> deltas) {
    Instant now = clock.instant();
    deltas.forEach((rolloutId, delta) -> rollouts.addToCounts(rolloutId, delta, now));
  }

  /**
   * Releases the rollout on a thread of its own, coalesced: the results of a whole fan-out, which
   * arrive in the same few group commits, cost a few releases (each sees every commit made before
   * it began) instead of one locked transaction per child, and the agents' answers never wait for
   * the next wave's dispatch. The periodic sweep stays the safety net if a release fails.
   */
  private void releaseSoon(String rolloutId) {
    releaseWanted.add(rolloutId);
    if (releasing.add(rolloutId)) {
      Thread.ofVirtual().name("rollout-release").start(() -> releaseWhileWanted(rolloutId));
    }
  }

  private void releaseWhileWanted(String rolloutId) {
    while (true) {
      try {
        while (releaseWanted.remove(rolloutId)) {
          release(rolloutId);
        }
      } catch (RuntimeException e) {
        log.warn("Releasing rollout {} failed; the sweep retries: {}", rolloutId, e.toString());
      } finally {
        releasing.remove(rolloutId);
      }
      // A wish made after the last check but before giving up the role found it taken: honour it.
      if (!releaseWanted.contains(rolloutId) || !releasing.add(rolloutId)) {
        return;
      }
    }
  }

  /** Dispatches what the rollout's limits allow now, and settles it if it is done. */
  public void release(String rolloutId) {
    transactions.inTransaction(
        () -> rollouts.lock(rolloutId).ifPresent(rollout -> advance(rollout, clock.instant())));
  }

  /** The sweep's pass over every dispatching rollout: the safety net behind {@link #release}. */
  public int releaseActive() {
    List<String> active = rollouts.active(SWEEP_BATCH);
    active.forEach(this::release);
    return active.size();
  }

  /** Within the caller's transaction, with the rollout locked (or just created). */
  void advance(Rollout rollout, Instant now) {
    if (rollout.status().isFinal()) {
      return;
    }
    if (rollout.errorsExceeded()) {
      stop(
          rollout,
          RolloutStatus.FAILED,
          rollout.counts().errors()
              + " children failed, timed out or expired; max_errors is "
              + rollout.maxErrors(),
          now);
      return;
    }
    Rollout current = rollout;
    if (current.status() == RolloutStatus.CANARY && canaryDone(current)) {
      if (current.counts().completed() < current.canary()) {
        stop(current, RolloutStatus.FAILED, "a canary child did not complete", now);
        return;
      }
      rollouts.promote(current.id(), now);
      append(current, "rollout.promoted", now, null);
      current = reload(current);
    }
    int slots = current.openSlots();
    if (slots > 0) {
      dispatch(current, rollouts.nextQueued(current.id(), slots), now);
      current = reload(current);
    }
    RolloutCounts counts = current.counts();
    if (counts.queued() == 0 && counts.inFlight() == 0) {
      RolloutStatus end = current.errorsExceeded() ? RolloutStatus.FAILED : RolloutStatus.COMPLETED;
      rollouts.finish(current.id(), end, null, now);
      append(current, "rollout." + end.wireName(), now, null);
    }
  }

  /** Stops dispatch: queued targets are skipped; children in flight run to their end. */
  void stop(Rollout rollout, RolloutStatus status, String reason, Instant now) {
    rollouts.skipQueued(rollout.id(), now);
    rollouts.finish(rollout.id(), status, reason, now);
    append(rollout, "rollout." + status.wireName(), now, reason);
  }

  private static boolean canaryDone(Rollout rollout) {
    RolloutCounts counts = rollout.counts();
    return counts.dispatched() >= rollout.canary() && counts.inFlight() == 0;
  }

  /**
   * Within the creating transaction, for the rollout just written: writes its targets, the first
   * wave's together with the children created for them, so a wave that goes out at once costs one
   * write per target instead of an insert and an update. Then moves on as {@link #advance} does (an
   * empty rollout ends here).
   */
  void start(Rollout rollout, List<RolloutTarget> targets, Instant now) {
    List<RolloutTarget> wave = targets.subList(0, Math.min(rollout.openSlots(), targets.size()));
    rollouts.insertTargets(rollout, targets, createChildren(rollout, wave, now), now);
    advance(reload(rollout), now);
  }

  private void dispatch(Rollout rollout, List<RolloutTarget> targets, Instant now) {
    if (!targets.isEmpty()) {
      rollouts.dispatched(rollout.id(), createChildren(rollout, targets, now), now);
    }
  }

  /**
   * Creates a child per target and returns them by the targets' positions; they are pushed once the
   * transaction committed.
   */
  private Map<Integer, CommandId> createChildren(
      Rollout rollout, List<RolloutTarget> targets, Instant now) {
    if (targets.isEmpty()) {
      return Map.of();
    }
    CommandType type = types.require(rollout.type(), "type");
    List<Command> children = new ArrayList<>(targets.size());
    Map<Integer, CommandId> byPosition = new LinkedHashMap<>();
    List<Event> requested = new ArrayList<>(targets.size());
    for (RolloutTarget target : targets) {
      Command child =
          Command.pending(
                  CommandId.of(Ids.newId()),
                  rollout.tenantId(),
                  target.agentId(),
                  rollout.type(),
                  rollout.paramsJson(),
                  rollout.priority(),
                  rollout.timeout(),
                  now,
                  now.plus(type.defaultExpiry()))
              .withRequestedBy(rollout.createdBy())
              .inRollout(rollout.id(), rollout.scheduleId());
      children.add(child);
      byPosition.put(target.position(), child.id());
      requested.add(requestedEvent(child, now));
    }
    // The pushes sign their envelopes (Ed25519) on the other cores while this transaction writes
    // the wave; they go out once it committed. Every child has its own agent, so order does not
    // matter.
    Runnable pushes = notifier.prepareReady(children);
    commands.insertAll(children);
    events.appendAll(requested);
    transactions.afterCommit(pushes);
    return byPosition;
  }

  private static Event requestedEvent(Command child, Instant now) {
    ObjectNode payload = CanonicalJson.emptyObject();
    payload.put("command_id", child.id().value());
    payload.put("agent_id", child.agentId().value());
    payload.put("type", child.type());
    payload.put("status", CommandStatus.PENDING.wireName());
    payload.put("rollout_id", child.rolloutId());
    return Event.of(
        child.tenantId(), "command.requested", child.id().value(), payload.toString(), now);
  }

  private void append(Rollout rollout, String type, Instant now, String reason) {
    ObjectNode payload = CanonicalJson.emptyObject();
    payload.put("rollout_id", rollout.id());
    if (reason != null) {
      payload.put("reason", reason);
    }
    events.append(Event.of(rollout.tenantId(), type, rollout.id(), payload.toString(), now));
  }

  private Rollout reload(Rollout rollout) {
    return rollouts.find(rollout.id()).orElseThrow();
  }
}
