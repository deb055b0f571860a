package dev.courier.bench.benchmarks;

import dev.courier.bench.BenchCommand;
import dev.courier.bench.baseline.InsertBaseline;
import dev.courier.bench.fleet.Fleet;
import dev.courier.bench.fleet.SimulatedAgent;
import dev.courier.bench.harness.BenchDatabase;
import dev.courier.bench.harness.BenchServer;
import dev.courier.bench.harness.JitWarmup;
import dev.courier.bench.harness.OperatorApi;
import dev.courier.bench.harness.ProcStats;
import dev.courier.bench.report.Report;
import dev.courier.bench.report.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Sustained full lifecycles in a closed loop, for {@code --seconds} after a warm-up. Operators
 * either create one command each per {@code POST /api/v1/commands} ({@code --in-flight} of them),
 * or, with {@code --rollout-size K}, one rollout each to their own group of K agents. Each waits
 * until every result of what it created is stored, and goes again. The baseline, measured first on
 * the same database, is plain single-row INSERT transactions per second with {@code
 * --baseline-clients} connections.
 */
@Command(
    name = "throughput",
    mixinStandardHelpOptions = true,
    description =
        "Sustained full lifecycles/s (create -> deliver -> ack -> result) vs raw single-row INSERT tx/s on the same database.")
public final class ThroughputBenchmark extends BenchCommand {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Option(
      names = "--seconds",
      paramLabel = "S",
      description = "Measured seconds (default 60, quick 15).")
  Integer seconds;

  @Option(
      names = "--warmup-seconds",
      paramLabel = "S",
      description =
          "Unmeasured seconds first. Default: until the JIT has settled, at least 10 s and at most"
              + " 120 s (quick 3 to 20 s).")
  Integer warmupSeconds;

  @Option(
      names = "--in-flight",
      paramLabel = "N",
      defaultValue = "64",
      description =
          "Commands in flight at once when each is created on its own (default ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(
      names = "--rollout-size",
      paramLabel = "K",
      defaultValue = "0",
      description =
          "0 (default): one POST /api/v1/commands per command. K > 0: the agents form groups of K,"
              + " and one operator per group creates a rollout to it (POST /api/v1/rollouts);"
              + " every agent then has one command in flight.")
  int rolloutSize;

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

  @Spec CommandSpec spec;

  @Override
  protected String name() {
    return "throughput";
  }

  @Override
  protected Report run() throws Exception {
    int n = agents(100, 50);
    if (rolloutSize < 0 || rolloutSize > n) {
      throw new ParameterException(
          spec.commandLine(),
          "--rollout-size must be between 0 and the number of agents ("
              + n
              + "), not "
              + rolloutSize);
    }
    int groups = rolloutSize == 0 ? 0 : n / rolloutSize;
    Duration measure = Duration.ofSeconds(seconds != null ? seconds : quick ? 15 : 60);
    Report report = new Report(name());
    report
        .parameter("agents", rolloutSize == 0 ? n : groups * rolloutSize)
        .parameter("creation", rolloutSize == 0 ? "commands" : "rollouts")
        .parameter("in_flight", rolloutSize == 0 ? inFlight : groups * rolloutSize)
        .parameter("rollout_size", rolloutSize)
        .parameter("seconds", measure.toSeconds())
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
        CommandTracker byId = new CommandTracker();
        ResultsByAgent byAgent = new ResultsByAgent();
        try (Fleet fleet =
            new Fleet(
                server.baseUrl(),
                server.webSocketUrl(),
                fleetOptions(),
                rolloutSize == 0 ? byId : byAgent)) {
          MeasuredWindow window = new MeasuredWindow();
          List<Callable<Void>> loops =
              rolloutSize == 0
                  ? commandOperators(api, fleet, n, byId, window)
                  : rolloutOperators(api, fleet, groups, byAgent, window);
          double cpu;
          double jit;
          try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> running = new ArrayList<>();
            for (Callable<Void> loop : loops) {
              running.add(pool.submit(loop));
            }
            Duration warmedUp = warmUp(report);
            report.figure(
                "warmup_seconds", warmedUp.toMillis() / 1e3, "s", "warm-up before the window");
            long self = ProcessHandle.current().pid();
            double cpu0 = ProcStats.cpuSeconds(self);
            double jit0 = ProcStats.compilerCpuSeconds(self);
            window.open(measure);
            Thread.sleep(measure);
            cpu = ProcStats.cpuSeconds(self) - cpu0;
            jit = ProcStats.compilerCpuSeconds(self) - jit0;
            for (Future<Void> loop : running) {
              loop.get();
            }
          }
          double perSecond = window.counted() / (measure.toNanos() / 1e9);
          report.figure("lifecycles_per_second", perSecond, "/s", "full lifecycles per second");
          report.figure(
              "lifecycles_measured", window.counted(), "", "lifecycles in the measured window");
          report.figure(
              "cpu_us_per_lifecycle",
              Report.divide(cpu * 1e6, window.counted()),
              "us",
              "CPU of this process (server, agents, operators) per lifecycle in the window");
          report.figure(
              "jit_cpu_percent",
              100 * jit / (measure.toNanos() / 1e9),
              "%",
              "JIT compiler threads' CPU in the window, % of one core");
          Stats.of(window.durations()).addTo(report, "lifecycle", "one lifecycle under load");
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

  /** Enrolls and connects {@code n} agents; {@code --in-flight} operators creating commands. */
  private List<Callable<Void>> commandOperators(
      OperatorApi api, Fleet fleet, int n, CommandTracker tracker, MeasuredWindow window)
      throws Exception {
    fleet.enroll(api, n, Map.of());
    fleet.connectAll(Duration.ofMinutes(2));
    AtomicLong turns = new AtomicLong();
    List<Callable<Void>> loops = new ArrayList<>();
    for (int w = 0; w < inFlight; w++) {
      loops.add(oneCommandAtATime(api, fleet.agents(), turns, tracker, window));
    }
    return loops;
  }

  /** Enrolls and connects {@code groups} labelled groups of agents; one operator per group. */
  private List<Callable<Void>> rolloutOperators(
      OperatorApi api, Fleet fleet, int groups, ResultsByAgent results, MeasuredWindow window)
      throws Exception {
    for (int g = 0; g < groups; g++) {
      fleet.enroll(api, rolloutSize, Map.of("throughput_group", Integer.toString(g)));
    }
    fleet.connectAll(Duration.ofMinutes(2));
    String tenant =
        api.get("/api/v1/agents/" + fleet.agents().getFirst().id().value()).text("tenant_id");
    List<Callable<Void>> loops = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      List<SimulatedAgent> group = fleet.agents().subList(g * rolloutSize, (g + 1) * rolloutSize);
      loops.add(rolloutsToGroup(api, tenant, g, group, results, window));
    }
    return loops;
  }

  /** A fixed warm-up when one was given, else until the JIT has settled. */
  private Duration warmUp(Report report) throws InterruptedException {
    if (warmupSeconds != null) {
      report.parameter("warmup", "fixed");
      Duration fixed = Duration.ofSeconds(warmupSeconds);
      Thread.sleep(fixed);
      return fixed;
    }
    report.parameter("warmup", "until the JIT settles");
    return JitWarmup.ofThisJvm()
        .await(Duration.ofSeconds(quick ? 3 : 10), Duration.ofSeconds(quick ? 20 : 120));
  }

  /**
   * An operator that creates one command for the next agent (the operators take turns over the
   * agents) and waits for its result.
   */
  private static Callable<Void> oneCommandAtATime(
      OperatorApi api,
      List<SimulatedAgent> agents,
      AtomicLong next,
      CommandTracker tracker,
      MeasuredWindow window) {
    return () -> {
      while (window.running()) {
        SimulatedAgent agent = agents.get((int) (next.getAndIncrement() % agents.size()));
        long t0 = System.nanoTime();
        String id = api.createCommand(agent.id().value(), "echo", api.echoParams("tp"));
        long done = tracker.awaitStored(id, PATIENCE);
        tracker.forget(id);
        window.record(t0, done);
      }
      return null;
    };
  }

  /**
   * An operator that owns a group of agents: one rollout to the group at a time, each of its
   * commands counted as a lifecycle when that agent's result is stored.
   */
  private static Callable<Void> rolloutsToGroup(
      OperatorApi api,
      String tenant,
      int group,
      List<SimulatedAgent> agents,
      ResultsByAgent results,
      MeasuredWindow window) {
    return () -> {
      long rollouts = 0;
      while (window.running()) {
        long t0 = System.nanoTime();
        api.createRollout(tenant, "throughput_group=" + group, "echo", api.echoParams("tp"))
            .expect(201, "create rollout");
        rollouts++;
        for (SimulatedAgent agent : agents) {
          window.record(t0, results.awaitStored(agent, rollouts, PATIENCE));
        }
      }
      return null;
    };
  }
}
