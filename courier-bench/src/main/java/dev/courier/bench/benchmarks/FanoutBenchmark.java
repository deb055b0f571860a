package dev.courier.bench.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.bench.BenchCommand;
import dev.courier.bench.fleet.Fleet;
import dev.courier.bench.fleet.SimulatedAgent;
import dev.courier.bench.harness.BenchDatabase;
import dev.courier.bench.harness.JavaProcesses;
import dev.courier.bench.harness.JitWarmup;
import dev.courier.bench.harness.OperatorApi;
import dev.courier.bench.harness.ProcStats;
import dev.courier.bench.harness.ServerProcess;
import dev.courier.bench.report.Report;
import dev.courier.bench.report.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * One command to every connected agent, timed until every result is stored. Uses a rollout when the
 * server has {@code POST /api/v1/rollouts}; otherwise one {@code POST /api/v1/commands} per agent,
 * {@code --creators} at a time (what an operator's script would do today).
 */
@Command(
    name = "fanout",
    mixinStandardHelpOptions = true,
    description =
        "One command to N connected agents until every result is stored (p50/p99/max per agent, total).")
public final class FanoutBenchmark extends BenchCommand {

  @Option(
      names = "--creators",
      paramLabel = "N",
      defaultValue = "32",
      description =
          "Concurrent API requests when creating one command per agent (default ${DEFAULT-VALUE}).")
  int creators;

  @Option(
      names = "--own-process",
      description =
          "Run the server in its own process (automatic when the agents would not fit under the open-files limit).")
  boolean ownProcess;

  @Option(
      names = "--mode",
      paramLabel = "auto|rollout|commands",
      defaultValue = "auto",
      description =
          "rollout: one POST /api/v1/rollouts to the run's agents; commands: one POST per agent;"
              + " auto (default): a rollout when the server has them.")
  String mode;

  @Option(
      names = "--patience-seconds",
      paramLabel = "S",
      defaultValue = "300",
      description =
          "How long to wait for every result (default ${DEFAULT-VALUE}); what was stored by then"
              + " is reported, marked incomplete.")
  int patienceSeconds;

  @Option(
      names = "--warmup-rounds",
      paramLabel = "N",
      description =
          "Fan-outs to the same agents before the measured one: N fixes them; by default they go"
              + " on until the server's JIT has settled (at least 3, quick 1; at most 15, quick 3)."
              + " The first is reported as cold_total_ms.")
  Integer warmupRounds;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Measured fan-outs after the warm-up (default ${DEFAULT-VALUE}). With more than one, the"
              + " figures are the median round's (by total; the faster middle one of an even count),"
              + " and every round's total is noted.")
  int rounds;

  private static final int MIN_WARMUP_ROUNDS = 3;
  private static final int MAX_WARMUP_ROUNDS = 15;

  /**
   * A quick run is a smoke test. Its rounds are too short for the JIT rule, which in-process also
   * counts the fleet's compiling, so it would otherwise run all fifteen.
   */
  private static final int QUICK_MAX_WARMUP_ROUNDS = 3;

  /** How long the bare fan-out waits for all its echoes (it takes about a second for 10,000). */
  private static final Duration ECHO_PATIENCE = Duration.ofSeconds(60);

  /** The name ({@code comm}) of every process of a PostgreSQL server: postmaster and backends. */
  private static final String POSTGRES_PROCESS = "postgres";

  @Spec CommandSpec spec;

  @Override
  protected String name() {
    return "fanout";
  }

  @Override
  protected Report run() throws Exception {
    if (rounds < 1) {
      throw new ParameterException(
          spec.commandLine(), "--rounds must be at least 1, not " + rounds);
    }
    int n = agents(1000, 500);
    boolean separate = ownProcess || ServerUnderTest.needsOwnProcess(n);
    Report report = new Report(name());
    report
        .parameter("agents", n)
        .parameter("http_share", httpShare)
        .parameter("server", separate ? "own process" : "in-process");
    String run = Long.toString(System.nanoTime(), 36);
    try (BenchDatabase database = BenchDatabase.create(db);
        JavaProcesses processes = new JavaProcesses(database.dir().resolve("logs"));
        ServerUnderTest server =
            ServerUnderTest.start(database, serverSettings(), separate, processes);
        OperatorApi api = new OperatorApi(server.baseUrl()).login()) {
      PerAgentTimes times = new PerAgentTimes(n);
      double totalMs;
      try (Fleet fleet =
          new Fleet(server.baseUrl(), server.webSocketUrl(), fleetOptions(), times)) {
        long e0 = System.nanoTime();
        fleet.enroll(api, n, Map.of("bench_run", run));
        report.figure("enroll_seconds", (System.nanoTime() - e0) / 1e9, "s", "enroll all agents");
        Duration connect = fleet.connectAll(Duration.ofMinutes(5));
        report.figure("connect_seconds", connect.toNanos() / 1e9, "s", "connect all agents");

        ObjectNode params = api.echoParams("fanout");
        String tenant =
            api.get("/api/v1/agents/" + fleet.agents().getFirst().id().value()).text("tenant_id");
        int warmups = 0;
        boolean settled = false;
        while (warmupGoesOn(warmupRounds, quick, warmups, settled)) {
          Round warm = fanOut(api, fleet, times, server, database, tenant, run, params);
          warmups++;
          settled = warm.jitSettled();
          if (warmups == 1) {
            report.figure(
                "cold_total_ms",
                warm.totalMs(),
                "ms",
                "warm-up: first fan-out after start, first request -> last result stored");
          }
          report.note("warm-up round " + warmups + ": " + warm.summary(n));
          if (!warm.complete()) {
            report.note("warm-up round " + warmups + " did not store every result in time");
          }
        }
        report.parameter("warmup_rounds", warmups);
        if (warmupRounds == null && !settled) {
          report.note(
              "the server's JIT compilers had not settled after "
                  + warmups
                  + " warm-up rounds: the measured rounds pay for some compiling");
        }
        report.parameter("rounds", rounds);
        List<Round> measured = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          measured.add(fanOut(api, fleet, times, server, database, tenant, run, params));
        }
        Round median = medianOf(measured);
        report.parameter("mode", median.mode());
        report.figure(
            "results_stored", median.stored().length, "", "agents whose result was stored");
        boolean complete = measured.stream().allMatch(Round::complete);
        report.figure("complete", complete ? 1 : 0, "", "every result stored (1) or not (0)");
        if (!complete) {
          report.note(
              "a measured round did not store all "
                  + n
                  + " results within "
                  + patienceSeconds
                  + " s: its total_ms is the patience, a lower bound; its percentiles cover the"
                  + " stored ones only");
        }
        totalMs = median.totalMs();
        report.figure("total_ms", totalMs, "ms", "first request -> last result stored");
        report.figure(
            "create_ms", median.createdMs(), "ms", "first request -> last command created");
        Stats.of(median.delivered()).addTo(report, "delivered", "per agent: start -> agent has it");
        Stats.of(median.accepted())
            .addTo(report, "accepted", "per agent: start -> its acceptance stored");
        Stats.of(median.stored()).addTo(report, "stored", "per agent: start -> result stored");
        if (server.process() != null) {
          report.figure(
              "server_cpu_seconds",
              median.serverCpuSeconds(),
              "s",
              "server process CPU, first request -> last result stored");
          report.figure(
              "server_cpu_us_per_agent",
              median.serverCpuUsPerAgent(n),
              "us",
              "server process CPU per agent's command");
          report.figure(
              "server_write_calls_per_agent",
              median.serverWriteCallsPerAgent(n),
              "",
              "server write system calls (sockets and files) per agent's command");
          report.figure(
              "fleet_cpu_seconds",
              median.fleetCpuSeconds(),
              "s",
              "simulated fleet's CPU (this process) in the same window, on the same cores");
        }
        if (!Double.isNaN(median.databaseCpuSeconds())) {
          report.figure(
              "database_cpu_us_per_agent",
              median.databaseCpuUsPerAgent(n),
              "us",
              "PostgreSQL's CPU per agent's command (all its local processes, every database)");
        }
        report.figure(
            "jit_cpu_seconds",
            median.jitCpuSeconds(),
            "s",
            "the server's JIT compilers' CPU in the same window (whole process when in-process)");
        report.figure(
            "results_per_second",
            Report.divide(median.stored().length, totalMs / 1e3),
            "/s",
            "results stored per second");
        if (rounds > 1) {
          DoubleSummaryStatistics totals =
              measured.stream().mapToDouble(Round::totalMs).summaryStatistics();
          report.figure("total_ms_min", totals.getMin(), "ms", "fastest measured round");
          report.figure("total_ms_max", totals.getMax(), "ms", "slowest measured round");
          for (int i = 0; i < measured.size(); i++) {
            report.note("round " + (i + 1) + ": " + measured.get(i).summary(n));
          }
        }
        report.figure("fleet_errors", fleet.errors(), "", "error frames and refused calls");
        fleet.errorSamples().forEach(report::note);
      }
      long[] echo;
      try {
        echo = baseline(n, separate, processes);
      } catch (RuntimeException e) {
        // The figures above took minutes to measure: a baseline that failed costs its ratio only.
        report.note(
            "the bare WebSocket fan-out (the baseline) failed, so no ratio: " + e.getMessage());
        return report;
      }
      long echoTotal = 0;
      for (long t : echo) {
        echoTotal = Math.max(echoTotal, t);
      }
      report.baseline(
          "bare WebSocket fan-out: one message on each of N connections to a Javalin/Jetty echo endpoint, until every echo is back");
      report.baselineFigure("total_ms", echoTotal / 1e6, "ms", "all N echoes back");
      Stats.of(echo).addBaselineTo(report, "round_trip", "per connection");
      report.ratio(
          "total_vs_bare_fanout",
          Report.divide(totalMs, echoTotal / 1e6),
          "total / bare fan-out total");
    }
    return report;
  }

  /**
   * Whether to run another fan-out before the measured ones. The first fan-outs after a start also
   * pay for the JIT compiling the server's hot paths: on the 2-core machine C2 used 1-2.5 s of CPU
   * in each of the first five rounds to 10,000 agents, about as much as the server's own work, and
   * under 0.1 s from the sixth on. A server that has been up for a while no longer does, so by
   * default the warm-up goes on until a round in which the compilers were quiet.
   *
   * @param fixed the rounds asked for with {@code --warmup-rounds}, or null for the JIT's rule
   * @param done the warm-up rounds run so far
   * @param settled whether the JIT was quiet in the last of them
   */
  static boolean warmupGoesOn(Integer fixed, boolean quick, int done, boolean settled) {
    if (fixed != null) {
      return done < fixed;
    }
    return done < (quick ? 1 : MIN_WARMUP_ROUNDS)
        || !settled && done < (quick ? QUICK_MAX_WARMUP_ROUNDS : MAX_WARMUP_ROUNDS);
  }

  /** One command to every agent, until every result is stored or the patience runs out. */
  private Round fanOut(
      OperatorApi api,
      Fleet fleet,
      PerAgentTimes times,
      ServerUnderTest server,
      BenchDatabase database,
      String tenant,
      String run,
      ObjectNode params)
      throws Exception {
    ServerProcess process = server.process();
    boolean databaseCpuKnown = database.postgresOnThisMachine();
    double db0 = databaseCpuKnown ? ProcStats.cpuSecondsOfAll(POSTGRES_PROCESS) : Double.NaN;
    double cpu0 = process == null ? Double.NaN : ProcStats.cpuSeconds(process.pid());
    long writes0 = process == null ? 0 : ProcStats.writeCalls(process.pid());
    long self = ProcessHandle.current().pid();
    long jitPid = process == null ? self : process.pid();
    double jit0 = ProcStats.compilerCpuSeconds(jitPid);
    double fleetCpu0 = ProcStats.cpuSeconds(self);
    long t0 = System.nanoTime();
    times.start(t0);
    String used =
        !mode.equals("commands") && rollout(api, tenant, run, params) ? "rollout" : "commands";
    if (mode.equals("rollout") && !used.equals("rollout")) {
      throw new IllegalStateException("this server has no rollouts");
    }
    if (used.equals("commands")) {
      perAgent(api, fleet.agents(), params);
    }
    long created = System.nanoTime() - t0;
    boolean complete = times.awaitAllStored(Duration.ofSeconds(patienceSeconds));
    long total = complete ? 0 : Duration.ofSeconds(patienceSeconds).toNanos();
    long[] stored = times.stored();
    for (long s : stored) {
      total = Math.max(total, s);
    }
    double cpu = process == null ? Double.NaN : ProcStats.cpuSeconds(process.pid()) - cpu0;
    long writes = process == null ? -1 : ProcStats.writeCalls(process.pid()) - writes0;
    // A compiler thread the JVM stops takes its CPU time along: never below zero, rarely short.
    double jit = Math.max(0, ProcStats.compilerCpuSeconds(jitPid) - jit0);
    double fleetCpu = ProcStats.cpuSeconds(self) - fleetCpu0;
    double databaseCpu =
        databaseCpuKnown ? ProcStats.cpuSecondsOfAll(POSTGRES_PROCESS) - db0 : Double.NaN;
    return new Round(
        used,
        complete,
        created / 1e6,
        total / 1e6,
        cpu,
        jit,
        fleetCpu,
        databaseCpu,
        writes,
        times.received(),
        times.accepted(),
        stored);
  }

  /**
   * The round whose total is the median: the middle one, or the faster of the two middle ones of an
   * even count.
   */
  static Round medianOf(List<Round> rounds) {
    List<Round> byTotal =
        rounds.stream().sorted(Comparator.comparingDouble(Round::totalMs)).toList();
    return byTotal.get((byTotal.size() - 1) / 2);
  }

  /**
   * One fan-out, with what the agents saw of it (nanoseconds from its start). The server's CPU is
   * NaN when it shares this process with the fleet, whose CPU then includes the server's.
   */
  record Round(
      String mode,
      boolean complete,
      double createdMs,
      double totalMs,
      double serverCpuSeconds,
      double jitCpuSeconds,
      double fleetCpuSeconds,
      double databaseCpuSeconds,
      long serverWriteCalls,
      long[] delivered,
      long[] accepted,
      long[] stored) {

    /** Whether the server's JIT compilers were quiet in this round (see {@link JitWarmup}). */
    boolean jitSettled() {
      return JitWarmup.quiet(Math.round(jitCpuSeconds * 1e3), Math.round(totalMs));
    }

    double serverCpuUsPerAgent(int agents) {
      return serverCpuSeconds * 1e6 / agents;
    }

    double databaseCpuUsPerAgent(int agents) {
      return databaseCpuSeconds * 1e6 / agents;
    }

    double serverWriteCallsPerAgent(int agents) {
      return serverWriteCalls < 0 ? Double.NaN : (double) serverWriteCalls / agents;
    }

    String summary(int agents) {
      String line =
          String.format(
              Locale.ROOT,
              "total %.1f ms, created after %.1f ms, %d of %d results stored",
              totalMs,
              createdMs,
              stored.length,
              agents);
      if (!Double.isNaN(databaseCpuSeconds)) {
        line +=
            String.format(
                Locale.ROOT, ", database CPU %.0f us per agent", databaseCpuUsPerAgent(agents));
      }
      if (Double.isNaN(serverCpuSeconds)) {
        return line;
      }
      return line
          + String.format(
              Locale.ROOT,
              ", server CPU %.0f us per agent (its JIT compilers %.2f s), fleet CPU %.2f s,"
                  + " server write calls %.2f per agent",
              serverCpuUsPerAgent(agents),
              jitCpuSeconds,
              fleetCpuSeconds,
              serverWriteCallsPerAgent(agents));
    }
  }

  /** True if the server took a rollout to the run's agents; false when it has no rollouts. */
  private static boolean rollout(OperatorApi api, String tenant, String run, ObjectNode params) {
    OperatorApi.Response r = api.createRollout(tenant, "bench_run=" + run, "echo", params);
    if (r.status() == 404 || r.status() == 405) {
      return false;
    }
    r.expect(201, "create rollout");
    return true;
  }

  private void perAgent(OperatorApi api, List<SimulatedAgent> agents, ObjectNode params)
      throws Exception {
    Semaphore permits = new Semaphore(creators);
    List<Future<String>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (SimulatedAgent agent : agents) {
        futures.add(
            pool.submit(
                () -> {
                  permits.acquireUninterruptibly();
                  try {
                    return api.createCommand(agent.id().value(), "echo", params);
                  } finally {
                    permits.release();
                  }
                }));
      }
      for (Future<String> f : futures) {
        f.get();
      }
    }
  }

  private static long[] baseline(int n, boolean separate, JavaProcesses processes)
      throws InterruptedException {
    String text = "x".repeat(420);
    if (separate) {
      ServerProcess bare =
          ServerProcess.bare(
              processes,
              "bare-server",
              processes.log("bare").resolveSibling("bare.jsa"),
              List.of());
      try (EchoRoundTrips echo = new EchoRoundTrips(bare.echoUrl(), n)) {
        echo.fanOut(text, ECHO_PATIENCE);
        return echo.fanOut(text, ECHO_PATIENCE);
      } finally {
        bare.stop();
      }
    }
    try (dev.courier.bench.baseline.BareServer bare =
            dev.courier.bench.baseline.BareServer.start(0);
        EchoRoundTrips echo = new EchoRoundTrips(bare.echoUrl(), n)) {
      echo.fanOut(text, ECHO_PATIENCE);
      return echo.fanOut(text, ECHO_PATIENCE);
    }
  }
}
