package dev.courier.bench.benchmarks;

import dev.courier.bench.fleet.FleetObserver;
import dev.courier.bench.fleet.SimulatedAgent;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * For a fan-out: when each agent first received a command, first had its acceptance stored and
 * first had a result stored after the round's start, keyed by agent, so it works whether the
 * commands came from a rollout or one by one. Each {@link #start} begins a new round and forgets
 * the last one.
 */
final class PerAgentTimes implements FleetObserver {

  private final int agents;
  private final Map<AgentId, Long> received = new ConcurrentHashMap<>();
  private final Map<AgentId, Long> accepted = new ConcurrentHashMap<>();
  private final Map<AgentId, Long> stored = new ConcurrentHashMap<>();
  private volatile CountDownLatch allStored;
  private volatile long start = Long.MAX_VALUE;

  PerAgentTimes(int agents) {
    this.agents = agents;
    this.allStored = new CountDownLatch(agents);
  }

  /** Begins a round at {@code nanos}; call only once the previous round's results are all in. */
  void start(long nanos) {
    received.clear();
    accepted.clear();
    stored.clear();
    allStored = new CountDownLatch(agents);
    start = nanos;
  }

  @Override
  public void commandReceived(SimulatedAgent agent, CommandId command, long nanos) {
    firstSinceStart(received, agent, nanos);
  }

  @Override
  public void acceptanceStored(SimulatedAgent agent, CommandId command, long nanos) {
    firstSinceStart(accepted, agent, nanos);
  }

  @Override
  public void resultStored(SimulatedAgent agent, CommandId command, long nanos) {
    if (firstSinceStart(stored, agent, nanos)) {
      allStored.countDown();
    }
  }

  /** Records the agent's first such moment of this round; true if this was it. */
  private boolean firstSinceStart(Map<AgentId, Long> times, SimulatedAgent agent, long nanos) {
    return nanos >= start && times.putIfAbsent(agent.id(), nanos - start) == null;
  }

  /** Waits for every agent's result; false if {@code patience} ran out first. */
  boolean awaitAllStored(Duration patience) throws InterruptedException {
    return allStored.await(patience.toMillis(), TimeUnit.MILLISECONDS);
  }

  long[] received() {
    return valuesOf(received);
  }

  long[] accepted() {
    return valuesOf(accepted);
  }

  long[] stored() {
    return valuesOf(stored);
  }

  private static long[] valuesOf(Map<AgentId, Long> times) {
    return times.values().stream().mapToLong(Long::longValue).toArray();
  }
}
