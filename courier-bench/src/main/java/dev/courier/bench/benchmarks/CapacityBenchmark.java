package dev.courier.bench.benchmarks;

import dev.courier.bench.BenchCommand;
import dev.courier.bench.fleet.Fleet;
import dev.courier.bench.fleet.FleetObserver;
import dev.courier.bench.harness.BenchDatabase;
import dev.courier.bench.harness.JavaProcesses;
import dev.courier.bench.harness.JvmProbe;
import dev.courier.bench.harness.OperatorApi;
import dev.courier.bench.harness.ServerProcess;
import dev.courier.bench.report.MachineFacts;
import dev.courier.bench.report.Report;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Connected idle agents with 30 s heartbeats: the server runs in its own process (launcher JVM
 * options) so its heap, RSS and CPU are its own. The baseline holds the same number of idle
 * WebSockets on a bare Javalin/Jetty process.
 */
@Command(
    name = "capacity",
    mixinStandardHelpOptions = true,
    description =
        "N connected idle agents with 30 s heartbeats: server heap, RSS, CPU vs a bare Jetty WebSocket server.")
public final class CapacityBenchmark extends BenchCommand {

  @Option(
      names = "--window-seconds",
      paramLabel = "S",
      description = "Idle window measured (default 60, quick 10).")
  Integer windowSeconds;

  @Option(
      names = "--heartbeat-seconds",
      paramLabel = "S",
      defaultValue = "30",
      description = "Heartbeat interval the server asks for (default ${DEFAULT-VALUE}).")
  int heartbeatSeconds;

  @Override
  protected String name() {
    return "capacity";
  }

  @Override
  protected Report run() throws Exception {
    int asked = agents(10_000, 500);
    long limit = MachineFacts.openFilesLimit();
    int n = limit > 0 ? (int) Math.min(asked, limit - 1_000) : asked;
    Duration window = Duration.ofSeconds(windowSeconds != null ? windowSeconds : quick ? 10 : 60);
    Report report = new Report(name());
    report
        .parameter("agents", n)
        .parameter("heartbeat_seconds", heartbeatSeconds)
        .parameter("window_seconds", window.toSeconds());
    if (n < asked) {
      report.note(
          "asked for "
              + asked
              + " agents; capped at "
              + n
              + " by the open-files limit ("
              + limit
              + ") of this process and the server's");
    }
    try (BenchDatabase database = BenchDatabase.create(db);
        JavaProcesses processes = new JavaProcesses(database.dir().resolve("logs"))) {
      Measured bare = measureBare(processes, database, n, window);
      ServerProcess server =
          ServerProcess.courier(
              processes,
              "courier-server",
              database,
              database.dir().resolve("server-data"),
              serverSettings().withHeartbeat(Duration.ofSeconds(heartbeatSeconds)),
              List.of(),
              database.dir().resolve("courier-server.jsa"));
      try (OperatorApi api = new OperatorApi(server.baseUrl()).login();
          Fleet fleet =
              new Fleet(
                  server.baseUrl(),
                  server.webSocketUrl(),
                  fleetOptions(),
                  new FleetObserver() {})) {
        long pid = server.pid();
        long heapEmpty = JvmProbe.liveHeapBytes(pid);
        fleet.enroll(api, n, Map.of());
        Duration connect = fleet.connectAll(Duration.ofMinutes(5));
        Thread.sleep(1_000);
        ProcessSampler idle = ProcessSampler.over(pid, window);
        long heap = JvmProbe.liveHeapBytes(pid);
        report.figure("connected_agents", fleet.online(), "", "agents connected at the end");
        report.figure(
            "connect_seconds", connect.toNanos() / 1e9, "s", "connect all (after enrollment)");
        report.figure("heap_live_mib", heap / 1048576.0, "MiB", "server live heap after GC");
        report.figure(
            "heap_per_agent_kib", (heap - heapEmpty) / 1024.0 / n, "KiB", "server heap per agent");
        report.figure("rss_mib", idle.rssBytes() / 1048576.0, "MiB", "server RSS");
        report.figure("cpu_percent", idle.cpuPercent(), "%", "server CPU while idle (of one core)");
        report.figure("threads", idle.threads(), "", "server threads");
        report.figure("fleet_errors", fleet.errors(), "", "error frames and refused calls");
        fleet.errorSamples().forEach(report::note);
        report.baseline(
            "bare Javalin/Jetty WebSocket server process holding the same number of idle connections");
        report.baselineFigure(
            "heap_live_mib", bare.heap() / 1048576.0, "MiB", "live heap after GC");
        report.baselineFigure("rss_mib", bare.idle().rssBytes() / 1048576.0, "MiB", "RSS");
        report.baselineFigure(
            "cpu_percent", bare.idle().cpuPercent(), "%", "CPU while idle (of one core)");
        report.ratio("heap_vs_bare", Report.divide(heap, bare.heap()), "heap / bare heap");
        report.ratio(
            "rss_vs_bare",
            Report.divide(idle.rssBytes(), bare.idle().rssBytes()),
            "RSS / bare RSS");
      } finally {
        server.stop();
      }
    }
    return report;
  }

  private record Measured(long heap, ProcessSampler idle) {}

  private static Measured measureBare(
      JavaProcesses processes, BenchDatabase database, int n, Duration window) throws Exception {
    ServerProcess bare =
        ServerProcess.bare(processes, "bare-server", database.dir().resolve("bare.jsa"), List.of());
    try (EchoRoundTrips sockets = new EchoRoundTrips(bare.echoUrl(), n)) {
      Thread.sleep(1_000);
      ProcessSampler idle = ProcessSampler.over(bare.pid(), window.dividedBy(2));
      return new Measured(JvmProbe.liveHeapBytes(bare.pid()), idle);
    } finally {
      bare.stop();
    }
  }
}
