package dev.courier.bench.benchmarks;

import dev.courier.bench.BenchCommand;
import dev.courier.bench.fleet.Fleet;
import dev.courier.bench.fleet.FleetObserver;
import dev.courier.bench.harness.BenchDatabase;
import dev.courier.bench.harness.BenchServer;
import dev.courier.bench.harness.OperatorApi;
import dev.courier.bench.report.Report;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * A reconnect storm: N connected agents, the server is stopped and started again on the same port
 * and database, and every agent reconnects with the agent SDK's backoff (1 s doubling to 60 s,
 * jittered). Timed until every agent has a fresh authenticated session and the server counts them
 * all connected. The baseline is the same agents' first connection, with the server already up.
 */
@Command(
    name = "reconnect",
    mixinStandardHelpOptions = true,
    description = "N agents reconnecting at once after a server restart vs their first connect.")
public final class ReconnectBenchmark extends BenchCommand {

  @Override
  protected String name() {
    return "reconnect";
  }

  @Override
  protected Report run() throws Exception {
    int n = agents(2_000, 500);
    if (ServerUnderTest.needsOwnProcess(n)) {
      throw new IllegalArgumentException(
          n
              + " agents and their server-side sockets do not fit under this process's open-files limit");
    }
    Report report = new Report(name());
    report.parameter("agents", n).parameter("http_share", httpShare);
    try (BenchDatabase database = BenchDatabase.create(db);
        BenchServer server = BenchServer.start(database, serverSettings());
        OperatorApi api = new OperatorApi(server.baseUrl()).login();
        Fleet fleet =
            new Fleet(
                server.baseUrl(), server.webSocketUrl(), fleetOptions(), new FleetObserver() {})) {
      fleet.enroll(api, n, Map.of());
      Duration first = fleet.connectAll(Duration.ofMinutes(5));
      int before = fleet.authentications();
      long attemptsBefore = fleet.connectAttempts();
      long failuresBefore = fleet.connectFailures();
      long errorsBefore = fleet.errors();

      long t0 = System.nanoTime();
      long restart = server.restart();
      long ready = System.nanoTime();
      fleet.awaitAuthentications(before + n, Duration.ofMinutes(5));
      long allBack = System.nanoTime();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (server.connectedAgents() < n - (int) Math.round(n * httpShare)
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      long serverCounts = System.nanoTime();
      report.figure(
          "stop_to_all_reconnected_ms",
          (allBack - t0) / 1e6,
          "ms",
          "server stop -> every agent authenticated again");
      report.figure(
          "ready_to_all_reconnected_ms",
          (allBack - ready) / 1e6,
          "ms",
          "server ready -> every agent authenticated again");
      report.figure(
          "ready_to_server_counts_all_ms",
          (serverCounts - ready) / 1e6,
          "ms",
          "server ready -> server counts all WebSockets");
      report.figure("restart_ms", restart / 1e6, "ms", "server stop + start to ready (in-process)");
      report.figure(
          "connect_attempts",
          fleet.connectAttempts() - attemptsBefore,
          "",
          "connection attempts during the storm");
      report.figure(
          "failed_attempts",
          fleet.connectFailures() - failuresBefore,
          "",
          "attempts refused or failed (server down or overloaded)");
      report.figure("errors", fleet.errors() - errorsBefore, "", "error frames after reconnecting");
      report.figure(
          "connected_at_end",
          server.connectedAgents(),
          "",
          "WebSockets the server counts at the end");
      fleet.errorSamples().forEach(report::note);
      report.baseline(
          "the same agents' first connection (already enrolled), server up, 256 handshakes at a time");
      report.baselineFigure(
          "first_connect_ms", first.toNanos() / 1e6, "ms", "first connect of all agents");
      report.ratio(
          "ready_to_all_vs_first_connect",
          Report.divide((allBack - ready) / 1e6, first.toNanos() / 1e6),
          "storm (from ready) / first connect");
    }
    return report;
  }
}
