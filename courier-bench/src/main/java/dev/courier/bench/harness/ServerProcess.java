package dev.courier.bench.harness;

import dev.courier.server.ServerMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Courier server (or the bare baseline server) in its own process, started with the launcher's
 * JVM options, configured through {@code COURIER_*} variables, and considered up when {@code
 * /readyz} answers 200. Used where the server's own memory and CPU must be read apart from the
 * simulated fleet's, and where one process would run out of file descriptors.
 */
public final class ServerProcess {

  private final Process process;
  private final int port;
  private final long readyNanos;

  private ServerProcess(Process process, int port, long readyNanos) {
    this.process = process;
    this.port = port;
    this.readyNanos = readyNanos;
  }

  /** Starts the Courier server on {@code database} with {@code settings}; waits for readiness. */
  public static ServerProcess courier(
      JavaProcesses processes,
      String name,
      BenchDatabase database,
      Path dataDir,
      BenchServer.Settings settings,
      List<String> extraJvmOptions,
      Path sharedArchive) {
    int port = freePort();
    Map<String, String> env = new HashMap<>(HugePages.environment());
    env.put("COURIER_HOST", "127.0.0.1");
    env.put("COURIER_PORT", Integer.toString(port));
    env.put("COURIER_DATA_DIR", dataDir.toString());
    env.put("COURIER_DB_URL", database.jdbcUrl());
    env.put("COURIER_ADMIN_PASSWORD", BenchServer.ADMIN_PASSWORD);
    env.put("COURIER_HEARTBEAT_SECONDS", Long.toString(settings.heartbeat().toSeconds()));
    env.put("COURIER_POLL_INTERVAL_SECONDS", Long.toString(settings.pollInterval().toSeconds()));
    env.put("COURIER_SQLITE_SYNCHRONOUS", settings.sqliteSynchronous().name());
    env.put("COURIER_DB_POOL_SIZE", Integer.toString(settings.poolSize()));
    env.put("COURIER_RATE_COMMANDS_PER_MINUTE", "0");
    List<String> command = new ArrayList<>();
    command.add(JavaProcesses.javaBinary());
    command.addAll(JavaProcesses.serverJvmOptions(sharedArchive));
    command.addAll(extraJvmOptions);
    command.add("-cp");
    command.add(JavaProcesses.classpathFor("courier-server", false));
    command.add(ServerMain.class.getName());
    return launch(processes, name, command, env, port);
  }

  /** Starts the bare baseline server (Javalin with a WebSocket echo, no Courier). */
  public static ServerProcess bare(
      JavaProcesses processes, String name, Path sharedArchive, List<String> extraJvmOptions) {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(JavaProcesses.javaBinary());
    command.addAll(JavaProcesses.serverJvmOptions(sharedArchive));
    command.addAll(extraJvmOptions);
    command.add("-cp");
    command.add(JavaProcesses.classpathFor("courier-bench", true));
    command.add(dev.courier.bench.baseline.BareServer.class.getName());
    command.add(Integer.toString(port));
    return launch(processes, name, command, HugePages.environment(), port);
  }

  private static ServerProcess launch(
      JavaProcesses processes,
      String name,
      List<String> command,
      Map<String, String> env,
      int port) {
    long t0 = System.nanoTime();
    Process process = processes.start(name, command, env);
    long ready = awaitReady(process, port, Duration.ofSeconds(60), processes.log(name));
    return new ServerProcess(process, port, ready - t0);
  }

  private static long awaitReady(Process process, int port, Duration patience, Path log) {
    URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
    long deadline = System.nanoTime() + patience.toNanos();
    try (HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500))
            .build()) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the server process exited with " + process.exitValue() + "; see " + log);
        }
        try {
          HttpResponse<Void> r =
              http.send(
                  HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            return System.nanoTime();
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("the server was not ready within " + patience + "; see " + log);
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  /** Process start to {@code /readyz} 200. */
  public Duration startToReady() {
    return Duration.ofNanos(readyNanos);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public String webSocketUrl() {
    return "ws://127.0.0.1:" + port + "/api/v1/agents/ws";
  }

  public String echoUrl() {
    return "ws://127.0.0.1:" + port + "/echo";
  }

  public void stop() {
    JavaProcesses.stop(process, Duration.ofSeconds(15));
  }
}
