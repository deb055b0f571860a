package dev.courier.bench;

import dev.courier.bench.harness.BenchDatabase;
import dev.courier.bench.harness.BenchServer;
import dev.courier.bench.harness.JavaProcesses;
import dev.courier.bench.report.Report;
import dev.courier.protocol.ProtocolJson;
import dev.courier.server.store.DatabaseOptions.SqliteSynchronous;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** What every benchmark shares: the common options, printing and writing the report. */
public abstract class BenchCommand implements Callable<Integer> {

  @Option(
      names = "--agents",
      paramLabel = "N",
      description = "Simulated agents (each benchmark has its own default).")
  protected Integer agents;

  @Option(
      names = "--db",
      paramLabel = "sqlite|postgres",
      defaultValue = "sqlite",
      description =
          "Database under the server (default ${DEFAULT-VALUE}). PostgreSQL: a fresh "
              + "database on COURIER_TEST_PG_URL, dropped afterwards.")
  protected BenchDatabase.Kind db;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description =
          "Where to write the JSON (default courier-bench/results/<name>-<db>-<time>.json).")
  protected Path json;

  @Option(names = "--quick", description = "A small size that finishes in under a minute.")
  protected boolean quick;

  @Option(
      names = "--http-share",
      paramLabel = "FRACTION",
      defaultValue = "0",
      description = "Share of agents on HTTP polling/heartbeats instead of the WebSocket (0-1).")
  protected double httpShare;

  @Option(
      names = "--exec-delay-ms",
      paramLabel = "MS",
      defaultValue = "0",
      description = "How long the simulated executor takes before its result (default 0).")
  protected long execDelayMs;

  @Option(
      names = "--sqlite-synchronous",
      paramLabel = "FULL|NORMAL",
      defaultValue = "FULL",
      description =
          "SQLite durability of the server and of the baseline (default ${DEFAULT-VALUE}, "
              + "the server's default).")
  protected SqliteSynchronous sqliteSynchronous;

  /** The benchmark's name on the command line and in the JSON. */
  protected abstract String name();

  /** Measures and returns the figures; may throw, the report is then not written. */
  protected abstract Report run() throws Exception;

  @Override
  public Integer call() throws Exception {
    Report report = run();
    report.parameter("db", db.wireName()).parameter("quick", quick);
    report.print(System.out);
    Path file = json != null ? json : defaultResultFile();
    report.write(file, ProtocolJson.mapper());
    System.out.printf("%n  JSON: %s%n", file);
    return 0;
  }

  private Path defaultResultFile() {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return JavaProcesses.root()
        .resolve("courier-bench")
        .resolve("results")
        .resolve(name() + "-" + db.wireName() + "-" + stamp + ".json");
  }

  protected int agents(int full, int quickSize) {
    return agents != null ? agents : quick ? quickSize : full;
  }

  protected BenchServer.Settings serverSettings() {
    return new BenchServer.Settings(
        Duration.ofSeconds(30), Duration.ofSeconds(1), sqliteSynchronous, 10);
  }

  protected dev.courier.bench.fleet.FleetOptions fleetOptions() {
    return dev.courier.bench.fleet.FleetOptions.defaults()
        .withHttpShare(httpShare)
        .withExecutionDelay(Duration.ofMillis(execDelayMs));
  }

  protected static void log(String format, Object... args) {
    System.err.printf("courier bench: " + format + "%n", args);
  }
}
