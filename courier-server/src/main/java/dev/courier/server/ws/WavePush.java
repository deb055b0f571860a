package dev.courier.server.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes a wave of items, each to its own receiver, from every core, with the costly part of each
 * push prepared ahead: the preparation starts when the wave is planned, while the transaction that
 * created it still writes on one core, and the sends run once it committed.
 *
 * <p>A rollout's wave signs one envelope per agent; signed in the push after the commit, the
 * signatures took most of the push's CPU while the first agents' answers already competed for the
 * cores. An item whose receiver was not ready when the wave was planned (an agent that connected
 * meanwhile), or whose preparation failed, is pushed the ordinary way at send time.
 *
 * @param <T> an item of the wave
 * @param <P> what an item's push needs prepared
 */
final class WavePush<T, P> {

  private static final Logger log = LoggerFactory.getLogger(WavePush.class);

  private static final Executor PREPARERS =
      task -> Thread.ofVirtual().name("wave-prepare").start(task);

  private final List<Slice<T, P>> slices;
  private final List<T> notReady;
  private final BiPredicate<T, P> send;
  private final Consumer<T> pushNow;

  private WavePush(
      List<Slice<T, P>> slices, List<T> notReady, BiPredicate<T, P> send, Consumer<T> pushNow) {
    this.slices = slices;
    this.notReady = notReady;
    this.send = send;
    this.pushNow = pushNow;
  }

  /**
   * Starts preparing the items {@code ready} accepts now, in one slice per core.
   *
   * @param prepare the costly part of an item's push, run on the preparing threads
   * @param send pushes an item with what was prepared for it; false if its receiver is gone
   * @param pushNow pushes an item the ordinary way: its receiver was not ready when the wave was
   *     planned or was gone when it was sent, or preparing failed
   */
  static <T, P> WavePush<T, P> plan(
      List<T> items,
      int cores,
      Predicate<T> ready,
      Function<T, P> prepare,
      BiPredicate<T, P> send,
      Consumer<T> pushNow) {
    Map<Boolean, List<T>> byReadiness = items.stream().collect(Collectors.partitioningBy(ready));
    List<T> readyNow = byReadiness.get(true);
    int count = Math.min(Math.max(1, cores), readyNow.size());
    List<Slice<T, P>> slices = new ArrayList<>(count);
    for (int slice = 0; slice < count; slice++) {
      List<T> part =
          readyNow.subList(readyNow.size() * slice / count, readyNow.size() * (slice + 1) / count);
      slices.add(
          new Slice<>(
              part,
              CompletableFuture.supplyAsync(() -> part.stream().map(prepare).toList(), PREPARERS)));
    }
    return new WavePush<>(slices, byReadiness.get(false), send, pushNow);
  }

  /**
   * Sends every item, a slice per thread, each as soon as its slice is prepared; returns once all
   * were sent.
   */
  void send() {
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      slices.forEach(slice -> senders.execute(() -> send(slice)));
      if (!notReady.isEmpty()) {
        senders.execute(() -> notReady.forEach(pushNow));
      }
    }
  }

  private void send(Slice<T, P> slice) {
    List<P> prepared;
    try {
      prepared = slice.prepared().join();
    } catch (CompletionException e) {
      log.warn(
          "Preparing {} pushes failed; pushing them one by one: {}",
          slice.items().size(),
          e.getCause().toString());
      slice.items().forEach(pushNow);
      return;
    }
    for (int i = 0; i < prepared.size(); i++) {
      T item = slice.items().get(i);
      if (!send.test(item, prepared.get(i))) {
        pushNow.accept(item);
      }
    }
  }

  private record Slice<T, P>(List<T> items, CompletableFuture<List<P>> prepared) {}
}
