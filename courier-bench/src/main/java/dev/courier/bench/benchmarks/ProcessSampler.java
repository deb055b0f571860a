package dev.courier.bench.benchmarks;

import dev.courier.bench.harness.ProcStats;
import java.time.Duration;

/** RSS and CPU of a process over a window, sampled once a second. */
record ProcessSampler(double cpuPercent, long rssBytes, long maxRssBytes, long threads) {

  static ProcessSampler over(long pid, Duration window) throws InterruptedException {
    double cpu0 = ProcStats.cpuSeconds(pid);
    long t0 = System.nanoTime();
    long deadline = t0 + window.toNanos();
    long maxRss = ProcStats.rssBytes(pid);
    while (System.nanoTime() < deadline) {
      Thread.sleep(Math.min(1000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      maxRss = Math.max(maxRss, ProcStats.rssBytes(pid));
    }
    double cpu = ProcStats.cpuSeconds(pid) - cpu0;
    double elapsed = (System.nanoTime() - t0) / 1e9;
    return new ProcessSampler(
        100.0 * cpu / elapsed, ProcStats.rssBytes(pid), maxRss, ProcStats.threads(pid));
  }
}
