package dev.courier.server.command;

import dev.courier.protocol.CommandId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lets a request wait for a command to finish ({@code ?wait=30s}, seed 003's synchronous calls)
 * without polling the database in a tight loop: this node wakes waiters when it records a final
 * state. Waiters re-read the database at least once a second too, so a result recorded by another
 * node is seen.
 */
public final class CommandWaiters {

  static final Duration RECHECK = Duration.ofSeconds(1);

  private final Map<CommandId, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

  /** Wakes everyone waiting on {@code id}. */
  public void finished(CommandId id) {
    CompletableFuture<Void> future = waiting.remove(id);
    if (future != null) {
      future.complete(null);
    }
  }

  /**
   * Blocks (a virtual thread, cheaply) until {@code id} is woken or {@code slice} passes, whichever
   * is first; the caller re-reads the command and decides whether to wait another slice.
   */
  public void awaitSlice(CommandId id, Duration slice) throws InterruptedException {
    CompletableFuture<Void> future = waiting.computeIfAbsent(id, key -> new CompletableFuture<>());
    try {
      future.get(Math.min(slice.toMillis(), RECHECK.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException stillRunning) {
      // Normal: re-read and maybe wait again.
    } catch (ExecutionException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
