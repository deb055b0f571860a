package dev.courier.bench.benchmarks;

import dev.courier.bench.fleet.FleetObserver;
import dev.courier.bench.fleet.SimulatedAgent;
import dev.courier.protocol.CommandId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records when each command reached its agent and when its result was stored, by command id. A push
 * can arrive before the API's 201 does, so times are keyed by id and waited for by id.
 */
final class CommandTracker implements FleetObserver {

  private final Map<String, CompletableFuture<Long>> received = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Long>> stored = new ConcurrentHashMap<>();
  private final LongAdder storedCount = new LongAdder();
  private final LongAdder receivedCount = new LongAdder();

  @Override
  public void commandReceived(SimulatedAgent agent, CommandId command, long nanos) {
    receivedCount.increment();
    future(received, command.value()).complete(nanos);
  }

  @Override
  public void resultStored(SimulatedAgent agent, CommandId command, long nanos) {
    storedCount.increment();
    future(stored, command.value()).complete(nanos);
  }

  private static CompletableFuture<Long> future(
      Map<String, CompletableFuture<Long>> map, String id) {
    return map.computeIfAbsent(id, k -> new CompletableFuture<>());
  }

  long awaitReceived(String id, Duration patience) throws Exception {
    return await(received, id, patience, "delivery");
  }

  long awaitStored(String id, Duration patience) throws Exception {
    return await(stored, id, patience, "stored result");
  }

  private static long await(
      Map<String, CompletableFuture<Long>> map, String id, Duration patience, String what)
      throws Exception {
    try {
      return future(map, id).get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new TimeoutException("no " + what + " of command " + id + " within " + patience);
    }
  }

  /** The time a command was received, or null if it was not (yet). */
  Long receivedAt(String id) {
    CompletableFuture<Long> f = received.get(id);
    return f == null ? null : f.getNow(null);
  }

  Long storedAt(String id) {
    CompletableFuture<Long> f = stored.get(id);
    return f == null ? null : f.getNow(null);
  }

  long storedCount() {
    return storedCount.sum();
  }

  long receivedCount() {
    return receivedCount.sum();
  }

  /** Forgets a finished command, so long runs do not grow the maps. */
  void forget(String id) {
    received.remove(id);
    stored.remove(id);
  }
}
