package dev.courier.bench.benchmarks;

import dev.courier.bench.BenchCommand;
import dev.courier.bench.baseline.InsertBaseline;
import dev.courier.bench.fleet.Fleet;
import dev.courier.bench.fleet.SimulatedAgent;
import dev.courier.bench.harness.BenchDatabase;
import dev.courier.bench.harness.BenchServer;
import dev.courier.bench.harness.OperatorApi;
import dev.courier.bench.report.Report;
import dev.courier.bench.report.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Sustained full lifecycles: {@code --in-flight} operators each create a command, wait until the
 * agent's result is stored, and go again (a closed loop), for {@code --seconds}. Counted only after
 * a warm-up. The baseline, measured first on the same database, is plain single-row INSERT
 * transactions per second with {@code --baseline-clients} connections.
 */
@Command(
    name = "throughput",
    mixinStandardHelpOptions = true,
    description =
        "Sustained full lifecycles/s (create -> deliver -> ack -> result) vs raw single-row INSERT tx/s on the same database.")
public final class ThroughputBenchmark extends BenchCommand {

  @Option(
      names = "--seconds",
      paramLabel = "S",
      description = "Measured seconds (default 60, quick 15).")
  Integer seconds;

  @Option(
      names = "--warmup-seconds",
      paramLabel = "S",
      description = "Unmeasured seconds first (default 10, quick 3).")
  Integer warmupSeconds;

  @Option(
      names = "--in-flight",
      paramLabel = "N",
      defaultValue = "64",
      description = "Commands in flight at once (default ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(
      names = "--baseline-clients",
      paramLabel = "N",
      defaultValue = "4",
      description = "Connections of the INSERT baseline (default ${DEFAULT-VALUE}).")
  int baselineClients;

  @Option(
      names = "--baseline-seconds",
      paramLabel = "S",
      description = "Seconds of the INSERT baseline (default 15, quick 5).")
  Integer baselineSeconds;

  @Override
  protected String name() {
    return "throughput";
  }

  @Override
  protected Report run() throws Exception {
    int n = agents(100, 50);
    Duration measure = Duration.ofSeconds(seconds != null ? seconds : quick ? 15 : 60);
    Duration warm = Duration.ofSeconds(warmupSeconds != null ? warmupSeconds : quick ? 3 : 10);
    Report report = new Report(name());
    report
        .parameter("agents", n)
        .parameter("in_flight", inFlight)
        .parameter("seconds", measure.toSeconds())
        .parameter("warmup_seconds", warm.toSeconds())
        .parameter("baseline_clients", baselineClients)
        .parameter("sqlite_synchronous", sqliteSynchronous.name())
        .parameter("http_share", httpShare);
    try (BenchDatabase database = BenchDatabase.create(db)) {
      Duration baselineTime =
          Duration.ofSeconds(baselineSeconds != null ? baselineSeconds : quick ? 5 : 15);
      double insertsPerSecond =
          InsertBaseline.measure(database, sqliteSynchronous.name(), baselineClients, baselineTime);
      report.baseline(
          "single-row INSERT transactions (autocommit), "
              + baselineClients
              + " connections, same database, same run");
      report.baselineFigure(
          "insert_tx_per_second", insertsPerSecond, "/s", "INSERT transactions per second");

      try (BenchServer server = BenchServer.start(database, serverSettings());
          OperatorApi api = new OperatorApi(server.baseUrl()).login()) {
        CommandTracker tracker = new CommandTracker();
        try (Fleet fleet =
            new Fleet(server.baseUrl(), server.webSocketUrl(), fleetOptions(), tracker)) {
          fleet.enroll(api, n, Map.of());
          fleet.connectAll(Duration.ofMinutes(2));
          List<SimulatedAgent> agentList = fleet.agents();
          long start = System.nanoTime();
          long measureFrom = start + warm.toNanos();
          long end = measureFrom + measure.toNanos();
          AtomicLong counted = new AtomicLong();
          AtomicLong next = new AtomicLong();
          ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
          try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> loops = new ArrayList<>();
            for (int w = 0; w < inFlight; w++) {
              loops.add(
                  pool.submit(
                      () -> {
                        while (System.nanoTime() < end) {
                          SimulatedAgent agent =
                              agentList.get((int) (next.getAndIncrement() % agentList.size()));
                          long t0 = System.nanoTime();
                          String id =
                              api.createCommand(agent.id().value(), "echo", api.echoParams("tp"));
                          long done = tracker.awaitStored(id, Duration.ofSeconds(60));
                          tracker.forget(id);
                          if (t0 >= measureFrom && done <= end) {
                            counted.incrementAndGet();
                            latencies.add(done - t0);
                          }
                        }
                        return null;
                      }));
            }
            for (Future<?> f : loops) {
              f.get();
            }
          }
          double perSecond = counted.get() / (measure.toNanos() / 1e9);
          report.figure("lifecycles_per_second", perSecond, "/s", "full lifecycles per second");
          report.figure(
              "lifecycles_measured", counted.get(), "", "lifecycles in the measured window");
          Stats.of(latencies.stream().mapToLong(Long::longValue).toArray())
              .addTo(report, "lifecycle", "one lifecycle under load");
          report.figure("fleet_errors", fleet.errors(), "", "error frames and refused calls");
          fleet.errorSamples().forEach(report::note);
          report.ratio(
              "lifecycles_vs_insert_tx",
              Report.divide(perSecond, insertsPerSecond),
              "lifecycles/s / INSERT tx/s");
        }
      }
    }
    return report;
  }
}
