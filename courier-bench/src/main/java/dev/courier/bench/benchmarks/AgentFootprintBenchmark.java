package dev.courier.bench.benchmarks;

import dev.courier.bench.BenchCommand;
import dev.courier.bench.baseline.IdleJvm;
import dev.courier.bench.harness.BenchDatabase;
import dev.courier.bench.harness.BenchServer;
import dev.courier.bench.harness.JavaProcesses;
import dev.courier.bench.harness.OperatorApi;
import dev.courier.bench.harness.ProcStats;
import dev.courier.bench.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The real agent as a separate process, launched the way {@code ./courier agent} launches it (same
 * jar, same JVM options), enrolled and connected to an in-process server, run through one echo
 * command, then left idle while its RSS and CPU are read from {@code /proc}. It is the agent's
 * second start, as after any restart: the first wrote the class-data archive the launchers keep.
 * The baseline is an empty JVM with the same options.
 */
@Command(
    name = "agent-footprint",
    mixinStandardHelpOptions = true,
    description =
        "The real agent process idle: RSS and CPU from /proc vs an empty JVM with the same options.")
public final class AgentFootprintBenchmark extends BenchCommand {

  @Option(
      names = "--window-seconds",
      paramLabel = "S",
      description = "Idle window measured (default 120, quick 20).")
  Integer windowSeconds;

  @Override
  protected String name() {
    return "agent-footprint";
  }

  @Override
  protected Report run() throws Exception {
    Duration window = Duration.ofSeconds(windowSeconds != null ? windowSeconds : quick ? 20 : 120);
    Duration settle = Duration.ofSeconds(quick ? 3 : 10);
    Report report = new Report(name());
    report
        .parameter("window_seconds", window.toSeconds())
        .parameter("settle_seconds", settle.toSeconds());
    try (BenchDatabase database = BenchDatabase.create(db);
        BenchServer server = BenchServer.start(database, serverSettings());
        OperatorApi api = new OperatorApi(server.baseUrl()).login();
        JavaProcesses processes = new JavaProcesses(database.dir().resolve("logs"))) {
      String token = api.createEnrollmentToken(1, Map.of());
      Path state = Files.createDirectories(database.dir().resolve("agent-state"));
      List<String> command = agentCommand(report, state.resolve("courier-agent.jsa"));
      command.addAll(
          List.of(
              "--server",
              server.baseUrl(),
              "--enroll",
              token,
              "--state-dir",
              state.toString(),
              "--hostname",
              "bench-footprint"));
      // The launchers keep a class-data archive that the JVM writes when the agent exits. The
      // first start after an install or an upgrade runs without one and writes it on its way out;
      // every later start, the one measured here, maps the agent's classes from it.
      Started first = startConnected(processes, server, command, "agent-first");
      report.figure(
          "first_start_to_connected_ms",
          first.connectedMs(),
          "ms",
          "first start (enrolls, no class-data archive yet) -> WebSocket connected");
      JavaProcesses.stop(first.process(), Duration.ofSeconds(20));
      awaitDisconnected(server);
      Started measured = startConnected(processes, server, command, "agent");
      report.figure(
          "start_to_connected_ms",
          measured.connectedMs(),
          "ms",
          "process start -> WebSocket connected");
      Process agent = measured.process();
      String agentId =
          api.get("/api/v1/agents?limit=1").body().path("agents").path(0).path("id").asText();
      if (agentId.isEmpty()) {
        agentId = api.get("/api/v1/agents").body().path("items").path(0).path("id").asText();
      }
      OperatorApi.Response echo =
          api.post(
              "/api/v1/commands?wait=30s",
              Map.of(
                  "agent_id", agentId, "type", "echo", "params", Map.of("message", "footprint")));
      report.note(
          "echo command before the idle window: HTTP "
              + echo.status()
              + ", status "
              + echo.body().path("status").asText());

      Thread.sleep(settle.toMillis());
      ProcessSampler idle = ProcessSampler.over(agent.pid(), window);
      report.figure(
          "rss_mib", idle.rssBytes() / 1048576.0, "MiB", "agent RSS at the end of the window");
      report.figure(
          "rss_max_mib",
          idle.maxRssBytes() / 1048576.0,
          "MiB",
          "agent RSS, highest sample in the window");
      report.figure(
          "rss_peak_mib",
          ProcStats.peakRssBytes(agent.pid()) / 1048576.0,
          "MiB",
          "agent peak RSS since start (VmHWM)");
      report.figure("cpu_percent", idle.cpuPercent(), "%", "agent CPU while idle (of one core)");
      report.figure("threads", idle.threads(), "", "agent threads");
      JavaProcesses.stop(agent, Duration.ofSeconds(10));

      List<String> bare = new ArrayList<>();
      bare.add(JavaProcesses.javaBinary());
      bare.addAll(JavaProcesses.AGENT_JVM_OPTIONS);
      bare.addAll(
          List.of(
              "-cp", JavaProcesses.classpathFor("courier-bench", true), IdleJvm.class.getName()));
      Process baseline = processes.start("idle-jvm", bare, Map.of("MALLOC_ARENA_MAX", "1"));
      Thread.sleep(settle.toMillis());
      ProcessSampler empty =
          ProcessSampler.over(baseline.pid(), Duration.ofSeconds(Math.min(10, window.toSeconds())));
      JavaProcesses.stop(baseline, Duration.ofSeconds(5));
      report.baseline("an empty JVM (main thread asleep) with the agent's JVM options");
      report.baselineFigure("rss_mib", empty.rssBytes() / 1048576.0, "MiB", "RSS");
      report.baselineFigure("cpu_percent", empty.cpuPercent(), "%", "CPU (of one core)");
      report.ratio(
          "rss_vs_empty_jvm",
          Report.divide(idle.rssBytes(), empty.rssBytes()),
          "agent RSS / empty JVM RSS");
    }
    return report;
  }

  private record Started(Process process, double connectedMs) {}

  /** Starts the agent process {@code name} and waits until it is connected. */
  private static Started startConnected(
      JavaProcesses processes, BenchServer server, List<String> command, String name)
      throws InterruptedException {
    long start = System.nanoTime();
    Process agent = processes.start(name, command, Map.of("MALLOC_ARENA_MAX", "1"));
    long deadline = start + Duration.ofSeconds(60).toNanos();
    while (server.connectedAgents() < 1) {
      if (!agent.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the agent did not connect; see " + processes.log(name));
      }
      Thread.sleep(5);
    }
    return new Started(agent, (System.nanoTime() - start) / 1e6);
  }

  private static void awaitDisconnected(BenchServer server) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (server.connectedAgents() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the stopped agent's connection did not close");
      }
      Thread.sleep(5);
    }
  }

  /**
   * {@code ./courier agent}'s java command: the launcher-built jar when there is one, else the same
   * main class from this JVM's dependencies, agent jar first; with the launchers' class-data
   * archive at {@code archive}.
   */
  private static List<String> agentCommand(Report report, Path archive) {
    List<String> command = new ArrayList<>();
    command.add(JavaProcesses.javaBinary());
    command.addAll(JavaProcesses.AGENT_JVM_OPTIONS);
    command.addAll(JavaProcesses.sharedArchiveOptions(archive));
    Path jar = JavaProcesses.root().resolve("courier-agent/target/courier-agent.jar");
    if (Files.isRegularFile(jar)) {
      command.addAll(List.of("-jar", jar.toString()));
      report.parameter("agent", jar.toString());
    } else {
      command.addAll(
          List.of(
              "-cp",
              JavaProcesses.classpathFor("courier-agent", false),
              "dev.courier.agent.AgentMain"));
      report.parameter("agent", "dev.courier.agent.AgentMain from the bench's class path");
    }
    return command;
  }
}
