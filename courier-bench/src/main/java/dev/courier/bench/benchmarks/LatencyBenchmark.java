package dev.courier.bench.benchmarks;

import dev.courier.bench.BenchCommand;
import dev.courier.bench.baseline.BareServer;
import dev.courier.bench.fleet.Fleet;
import dev.courier.bench.fleet.SimulatedAgent;
import dev.courier.bench.harness.BenchDatabase;
import dev.courier.bench.harness.BenchServer;
import dev.courier.bench.harness.OperatorApi;
import dev.courier.bench.report.Report;
import dev.courier.bench.report.Stats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Dispatch latency to a connected agent: one command at a time, from the moment the operator's
 * {@code POST /api/v1/commands} is sent until the agent has the {@code command} frame; the next
 * command starts once the previous result is stored, so every sample sees an idle server.
 */
@Command(
    name = "latency",
    mixinStandardHelpOptions = true,
    description =
        "Dispatch latency API -> connected agent (p50/p99/max) vs a bare WebSocket round trip.")
public final class LatencyBenchmark extends BenchCommand {

  @Option(
      names = "--commands",
      paramLabel = "N",
      description = "Measured commands (default 2000, quick 300).")
  Integer commands;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description = "Unmeasured commands first (default 300, quick 100).")
  Integer warmup;

  @Override
  protected String name() {
    return "latency";
  }

  @Override
  protected Report run() throws Exception {
    int agentCount = agents(10, 10);
    int measured = commands != null ? commands : quick ? 300 : 2000;
    int warm = warmup != null ? warmup : quick ? 100 : 300;
    Report report = new Report(name());
    report
        .parameter("agents", agentCount)
        .parameter("commands", measured)
        .parameter("warmup", warm);

    long[] dispatch = new long[measured];
    long[] created = new long[measured];
    long[] lifecycle = new long[measured];
    try (BenchDatabase database = BenchDatabase.create(db);
        BenchServer server = BenchServer.start(database, serverSettings());
        OperatorApi api = new OperatorApi(server.baseUrl()).login()) {
      CommandTracker tracker = new CommandTracker();
      try (Fleet fleet =
          new Fleet(server.baseUrl(), server.webSocketUrl(), fleetOptions(), tracker)) {
        fleet.enroll(api, agentCount, Map.of());
        fleet.connectAll(Duration.ofMinutes(2));
        List<SimulatedAgent> all = fleet.agents();
        for (int i = 0; i < warm + measured; i++) {
          SimulatedAgent agent = all.get(i % all.size());
          long t0 = System.nanoTime();
          String id = api.createCommand(agent.id().value(), "echo", api.echoParams("latency " + i));
          long t1 = System.nanoTime();
          long got = tracker.awaitReceived(id, Duration.ofSeconds(30));
          long done = tracker.awaitStored(id, Duration.ofSeconds(30));
          tracker.forget(id);
          if (i >= warm) {
            dispatch[i - warm] = got - t0;
            created[i - warm] = t1 - t0;
            lifecycle[i - warm] = done - t0;
          }
        }
        report.figure("fleet_errors", fleet.errors(), "", "error frames and refused calls");
      }
    }
    Stats dispatchStats = Stats.of(dispatch);
    dispatchStats.addTo(report, "dispatch", "dispatch: POST sent -> agent has it");
    Stats.of(created).addTo(report, "create", "create: POST sent -> 201 received");
    Stats.of(lifecycle).addTo(report, "lifecycle", "full lifecycle: POST -> result stored");

    Stats echo = baseline(measured, warm);
    report.baseline(
        "bare WebSocket round trip: JDK client -> Javalin/Jetty echo endpoint, same box, same run");
    echo.addBaselineTo(report, "round_trip", "round trip");
    report.ratio(
        "dispatch_p50_vs_round_trip_p50",
        Report.divide(dispatchStats.p50Ms(), echo.p50Ms()),
        "dispatch p50 / round trip p50");
    report.ratio(
        "dispatch_p99_vs_round_trip_p99",
        Report.divide(dispatchStats.p99Ms(), echo.p99Ms()),
        "dispatch p99 / round trip p99");
    return report;
  }

  /** The same count of sequential round trips through a bare echo endpoint. */
  private static Stats baseline(int measured, int warm) throws Exception {
    // About the size of a command frame with its signed envelope.
    String text = "x".repeat(420);
    long[] trips = new long[measured];
    try (BareServer bare = BareServer.start(0);
        EchoRoundTrips echo = new EchoRoundTrips(bare.echoUrl(), 1)) {
      for (int i = 0; i < warm + measured; i++) {
        long t = echo.roundTrip(0, text);
        if (i >= warm) {
          trips[i - warm] = t;
        }
      }
    }
    return Stats.of(trips);
  }
}
