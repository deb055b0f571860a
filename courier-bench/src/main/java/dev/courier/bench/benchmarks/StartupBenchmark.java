package dev.courier.bench.benchmarks;

import dev.courier.bench.BenchCommand;
import dev.courier.bench.harness.BenchDatabase;
import dev.courier.bench.harness.JavaProcesses;
import dev.courier.bench.harness.ProcStats;
import dev.courier.bench.harness.ServerProcess;
import dev.courier.bench.report.Report;
import dev.courier.bench.report.Stats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Server start to ready: the server process started with the launcher's JVM options (including its
 * class-data-sharing archive), timed from process start until {@code /readyz} answers 200. The
 * first start is cold (empty database to migrate, no archive yet); the others restart on the same
 * data. The baseline is a bare Javalin/Jetty process started the same way.
 */
@Command(
    name = "startup",
    mixinStandardHelpOptions = true,
    description =
        "Server process start -> /readyz 200 (cold and warm) vs a bare Javalin/Jetty process.")
public final class StartupBenchmark extends BenchCommand {

  private static final Pattern READY = Pattern.compile("Courier ready in (\\d+) ms");

  @Option(
      names = "--runs",
      paramLabel = "N",
      description = "Warm starts measured (default 10, quick 4).")
  Integer runs;

  @Override
  protected String name() {
    return "startup";
  }

  @Override
  protected Report run() throws Exception {
    int warmRuns = runs != null ? runs : quick ? 4 : 10;
    Report report = new Report(name());
    report.parameter("warm_runs", warmRuns);
    try (BenchDatabase database = BenchDatabase.create(db);
        JavaProcesses processes = new JavaProcesses(database.dir().resolve("logs"))) {
      Path archive = database.dir().resolve("courier-server.jsa");
      Path data = database.dir().resolve("server-data");
      long[] warm = new long[warmRuns];
      long[] selfReported = new long[warmRuns];
      long rss = 0;
      long coldNanos = 0;
      for (int i = 0; i <= warmRuns; i++) {
        String name = "courier-server-" + i;
        ServerProcess server =
            ServerProcess.courier(
                processes, name, database, data, serverSettings(), List.of(), archive);
        long ms = server.startToReady().toNanos();
        rss = ProcStats.rssBytes(server.pid());
        server.stop();
        long logged = selfReported(processes.log(name));
        if (i == 0) {
          coldNanos = ms;
          report.figure(
              "cold_start_ms", ms / 1e6, "ms", "first start: empty database, no CDS archive");
          report.figure(
              "cold_self_reported_ms",
              logged,
              "ms",
              "first start, as the server logs it (after JVM start)");
        } else {
          warm[i - 1] = ms;
          selfReported[i - 1] = logged * 1_000_000L;
        }
      }
      Stats warmStats = Stats.of(warm);
      report.figure("warm_start_p50_ms", warmStats.p50Ms(), "ms", "restart on existing data, p50");
      report.figure("warm_start_max_ms", warmStats.maxMs(), "ms", "restart on existing data, max");
      report.figure(
          "warm_self_reported_p50_ms",
          Stats.of(selfReported).p50Ms(),
          "ms",
          "restart as the server logs it, p50");
      report.figure("rss_at_ready_mib", rss / 1048576.0, "MiB", "server RSS just after ready");

      Path bareArchive = database.dir().resolve("bare.jsa");
      long[] bare = new long[warmRuns];
      long bareCold = 0;
      for (int i = 0; i <= warmRuns; i++) {
        ServerProcess server = ServerProcess.bare(processes, "bare-" + i, bareArchive, List.of());
        long ms = server.startToReady().toNanos();
        server.stop();
        if (i == 0) {
          bareCold = ms;
        } else {
          bare[i - 1] = ms;
        }
      }
      Stats bareStats = Stats.of(bare);
      report.baseline(
          "bare Javalin/Jetty process (no Courier) started with the same JVM options and its own archive");
      report.baselineFigure("cold_start_ms", bareCold / 1e6, "ms", "first start");
      report.baselineFigure("warm_start_p50_ms", bareStats.p50Ms(), "ms", "later starts, p50");
      report.ratio(
          "warm_p50_vs_bare_warm_p50",
          Report.divide(warmStats.p50Ms(), bareStats.p50Ms()),
          "warm start p50 / bare warm p50");
      report.ratio(
          "cold_vs_bare_cold", Report.divide(coldNanos, bareCold), "cold start / bare cold start");
    }
    return report;
  }

  private static long selfReported(Path log) throws java.io.IOException {
    Matcher m = READY.matcher(Files.readString(log));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
