package dev.courier.bench.report;

import java.util.Arrays;

/** Percentiles of a sample of durations in nanoseconds, reported in milliseconds. */
public record Stats(
    int count, double p50Ms, double p90Ms, double p99Ms, double maxMs, double meanMs) {

  private static final double NANOS_PER_MS = 1_000_000.0;

  /** Nearest-rank percentiles; an empty sample gives zeros and a count of 0. */
  public static Stats of(long[] nanos) {
    if (nanos.length == 0) {
      return new Stats(0, 0, 0, 0, 0, 0);
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (long n : sorted) {
      sum += n;
    }
    return new Stats(
        sorted.length,
        rank(sorted, 0.50),
        rank(sorted, 0.90),
        rank(sorted, 0.99),
        sorted[sorted.length - 1] / NANOS_PER_MS,
        sum / sorted.length / NANOS_PER_MS);
  }

  private static double rank(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / NANOS_PER_MS;
  }

  /** Adds {@code <prefix>_p50_ms} … {@code <prefix>_max_ms} to the report. */
  public void addTo(Report report, String prefix, String label) {
    report.figure(prefix + "_p50_ms", p50Ms, "ms", label + " p50");
    report.figure(prefix + "_p90_ms", p90Ms, "ms", label + " p90");
    report.figure(prefix + "_p99_ms", p99Ms, "ms", label + " p99");
    report.figure(prefix + "_max_ms", maxMs, "ms", label + " max");
  }

  /** The same figures as a baseline. */
  public void addBaselineTo(Report report, String prefix, String label) {
    report.baselineFigure(prefix + "_p50_ms", p50Ms, "ms", label + " p50");
    report.baselineFigure(prefix + "_p90_ms", p90Ms, "ms", label + " p90");
    report.baselineFigure(prefix + "_p99_ms", p99Ms, "ms", label + " p99");
    report.baselineFigure(prefix + "_max_ms", maxMs, "ms", label + " max");
  }
}
