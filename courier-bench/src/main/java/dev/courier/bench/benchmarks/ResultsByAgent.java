package dev.courier.bench.benchmarks;

import dev.courier.bench.fleet.FleetObserver;
import dev.courier.bench.fleet.SimulatedAgent;
import dev.courier.protocol.CommandId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Counts each agent's stored results, for a caller that knows which command an agent must be
 * running without knowing its id: a rollout's answer names the rollout, not its commands. Only
 * right while each agent has at most one command in flight, so that its n-th stored result is the
 * n-th command it was sent.
 */
final class ResultsByAgent implements FleetObserver {

  private final Map<String, Tally> byAgent = new ConcurrentHashMap<>();

  @Override
  public void resultStored(SimulatedAgent agent, CommandId command, long nanos) {
    tally(agent).stored(command.value(), nanos);
  }

  /**
   * Waits until the agent has had {@code count} results stored and returns when the last of them
   * was ({@link System#nanoTime()}).
   */
  long awaitStored(SimulatedAgent agent, long count, Duration patience)
      throws InterruptedException, TimeoutException {
    return tally(agent).await(count, patience, agent.id().value());
  }

  private Tally tally(SimulatedAgent agent) {
    return byAgent.computeIfAbsent(agent.id().value(), id -> new Tally());
  }

  /** One agent's results so far. */
  private static final class Tally {
    private long count;
    private long lastNanos;
    private String lastCommand;

    synchronized void stored(String command, long nanos) {
      // The server acknowledges a resent result again; it is still one command's result.
      if (command.equals(lastCommand)) {
        return;
      }
      lastCommand = command;
      lastNanos = nanos;
      count++;
      notifyAll();
    }

    synchronized long await(long wanted, Duration patience, String agent)
        throws InterruptedException, TimeoutException {
      long deadline = System.nanoTime() + patience.toNanos();
      while (count < wanted) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException(
              "agent "
                  + agent
                  + " had "
                  + count
                  + " results stored, not "
                  + wanted
                  + ", within "
                  + patience);
        }
        wait(Math.max(1, left / 1_000_000));
      }
      return lastNanos;
    }
  }
}
