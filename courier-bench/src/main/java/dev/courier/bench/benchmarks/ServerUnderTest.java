package dev.courier.bench.benchmarks;

import dev.courier.bench.harness.BenchDatabase;
import dev.courier.bench.harness.BenchServer;
import dev.courier.bench.harness.JavaProcesses;
import dev.courier.bench.harness.ServerProcess;
import dev.courier.bench.report.MachineFacts;
import java.util.List;

/**
 * The Courier server a benchmark talks to: in this JVM (the default), or in its own process when
 * the server's own memory must be read, or when agents plus their server-side sockets would not fit
 * under this process's open-files limit.
 */
final class ServerUnderTest implements AutoCloseable {

  /**
   * Extra JVM options for a server in its own process, split on whitespace: a collector to compare
   * or a flight recording to take without rebuilding the bench.
   */
  static final String EXTRA_JVM_OPTIONS = "COURIER_BENCH_SERVER_JVM_OPTIONS";

  private final BenchServer inProcess;
  private final ServerProcess external;

  private ServerUnderTest(BenchServer inProcess, ServerProcess external) {
    this.inProcess = inProcess;
    this.external = external;
  }

  /** True when {@code sockets} more open files (two per in-process agent) would not fit. */
  static boolean needsOwnProcess(int agents) {
    long limit = MachineFacts.openFilesLimit();
    return limit > 0 && 2L * agents + 1_000 > limit;
  }

  static ServerUnderTest start(
      BenchDatabase database,
      BenchServer.Settings settings,
      boolean ownProcess,
      JavaProcesses processes) {
    List<String> extraJvmOptions = extraJvmOptions(System.getenv(EXTRA_JVM_OPTIONS), ownProcess);
    if (!ownProcess) {
      return new ServerUnderTest(BenchServer.start(database, settings), null);
    }
    return new ServerUnderTest(
        null,
        ServerProcess.courier(
            processes,
            "courier-server",
            database,
            database.dir().resolve("server-data"),
            settings,
            extraJvmOptions,
            database.dir().resolve("courier-server.jsa")));
  }

  /** Refused for a server in the bench's JVM, whose options are already set, not ignored. */
  static List<String> extraJvmOptions(String configured, boolean ownProcess) {
    if (configured == null || configured.isBlank()) {
      return List.of();
    }
    if (!ownProcess) {
      throw new IllegalArgumentException(
          EXTRA_JVM_OPTIONS + " applies to a server in its own process: add --own-process");
    }
    return List.of(configured.strip().split("\\s+"));
  }

  boolean inProcess() {
    return inProcess != null;
  }

  ServerProcess process() {
    return external;
  }

  String baseUrl() {
    return inProcess != null ? inProcess.baseUrl() : external.baseUrl();
  }

  String webSocketUrl() {
    return inProcess != null ? inProcess.webSocketUrl() : external.webSocketUrl();
  }

  @Override
  public void close() {
    if (inProcess != null) {
      inProcess.close();
    } else {
      external.stop();
    }
  }
}
