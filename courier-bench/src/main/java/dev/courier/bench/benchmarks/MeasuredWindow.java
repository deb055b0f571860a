package dev.courier.bench.benchmarks;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The span of a closed-loop benchmark whose lifecycles count: closed during the warm-up, then open
 * for a fixed length. A lifecycle counts only if it started and ended inside the window, so neither
 * the warm-up nor the wind-down is measured.
 */
final class MeasuredWindow {

  private volatile long from = Long.MAX_VALUE;
  private volatile long until = Long.MAX_VALUE;
  private final AtomicLong counted = new AtomicLong();
  private final ConcurrentLinkedQueue<Long> durations = new ConcurrentLinkedQueue<>();

  /** Opens the window now for {@code length}; the loops stop starting lifecycles at its end. */
  void open(Duration length) {
    long now = System.nanoTime();
    until = now + length.toNanos();
    from = now;
  }

  /** Whether loops should start another lifecycle: until the window has closed. */
  boolean running() {
    return System.nanoTime() < until;
  }

  /** Records a lifecycle that started at {@code startNanos} and ended at {@code endNanos}. */
  void record(long startNanos, long endNanos) {
    if (startNanos >= from && endNanos <= until) {
      counted.incrementAndGet();
      durations.add(endNanos - startNanos);
    }
  }

  long counted() {
    return counted.get();
  }

  long[] durations() {
    return durations.stream().mapToLong(Long::longValue).toArray();
  }
}
