package dev.courier.bench.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A warm-up that lasts until the JIT has settled. On two cores a server under a closed-loop load
 * keeps C2 busy for a minute or more, so a fixed short warm-up measures the compiler as much as the
 * server. Settled means the JIT's compiler threads used at most a tenth of one core over the last
 * {@link #WINDOW}; they never stop quite, as C2 recompiles what it deoptimized. Their CPU time is
 * read from {@code /proc} ({@link ProcStats#compilerCpuSeconds}): the JVM's own compilation time is
 * elapsed time, which on a saturated machine grows while a compiler thread waits for a core.
 */
public final class JitWarmup {

  static final Duration WINDOW = Duration.ofSeconds(5);
  static final double QUIET_SHARE = 0.10;
  private static final Duration STEP = Duration.ofSeconds(1);

  /** How the warm-up sleeps; a test moves its clock instead. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final LongSupplier compilerCpuMillis;
  private final LongSupplier nanoClock;
  private final Sleeper sleeper;

  JitWarmup(LongSupplier compilerCpuMillis, LongSupplier nanoClock, Sleeper sleeper) {
    this.compilerCpuMillis = compilerCpuMillis;
    this.nanoClock = nanoClock;
    this.sleeper = sleeper;
  }

  /** Watches this JVM's compilers (the server's, when it runs in the benchmark's process). */
  public static JitWarmup ofThisJvm() {
    long self = ProcessHandle.current().pid();
    return new JitWarmup(
        () -> Math.round(ProcStats.compilerCpuSeconds(self) * 1_000),
        System::nanoTime,
        d -> Thread.sleep(d));
  }

  /**
   * Returns once at least {@code minimum} has passed and the last {@link #WINDOW} was quiet, or
   * once {@code maximum} has passed; how long it waited.
   */
  public Duration await(Duration minimum, Duration maximum) throws InterruptedException {
    long start = nanoClock.getAsLong();
    List<long[]> samples = new ArrayList<>();
    samples.add(new long[] {start, compilerCpuMillis.getAsLong()});
    while (true) {
      Duration waited = Duration.ofNanos(nanoClock.getAsLong() - start);
      if (waited.compareTo(maximum) >= 0) {
        return waited;
      }
      if (waited.compareTo(minimum) >= 0 && lastWindowQuiet(samples)) {
        return waited;
      }
      sleeper.sleep(STEP);
      samples.add(new long[] {nanoClock.getAsLong(), compilerCpuMillis.getAsLong()});
    }
  }

  /**
   * Whether the compilers were quiet from the newest sample at least a window old to the last one.
   * Drops the samples before it, which no later window needs. Sleeps overrun, so samples are a
   * little more than a step apart and rarely exactly a window.
   */
  private static boolean lastWindowQuiet(List<long[]> samples) {
    long[] last = samples.getLast();
    int from = -1;
    for (int i = samples.size() - 2; i >= 0; i--) {
      if (last[0] - samples.get(i)[0] >= WINDOW.toNanos()) {
        from = i;
        break;
      }
    }
    if (from < 0) {
      return false;
    }
    samples.subList(0, from).clear();
    long[] first = samples.getFirst();
    return quiet(last[1] - first[1], (last[0] - first[0]) / 1_000_000);
  }

  /** The rule: the compilers' CPU was at most {@link #QUIET_SHARE} of the span. */
  public static boolean quiet(long compilerCpuMillisInSpan, long spanMillis) {
    return compilerCpuMillisInSpan <= spanMillis * QUIET_SHARE;
  }
}
