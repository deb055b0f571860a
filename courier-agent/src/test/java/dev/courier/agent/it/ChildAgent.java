package dev.courier.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.agent.sdk.AgentIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real agent as a child JVM ({@code dev.courier.agent.AgentMain} on this test's class path),
 * its stdout and stderr captured to a file in its state directory.
 */
final class ChildAgent implements AutoCloseable {

  /** Light JVM options, as the launcher uses for the agent, so a test run stays small. */
  private static final List<String> JVM_OPTIONS =
      List.of(
          "-Xmx64m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Xshare:auto",
          "--enable-native-access=ALL-UNNAMED");

  private final Process process;
  private final Path stateDir;
  private final Path log;
  private final Path home;

  private ChildAgent(Process process, Path stateDir, Path log, Path home) {
    this.process = process;
    this.stateDir = stateDir;
    this.log = log;
    this.home = home;
  }

  /** The agent user's home as the agent sees it (HOME and user.home). */
  Path home() {
    return home;
  }

  static ChildAgent start(Path stateDir, List<String> args) {
    return start(stateDir, List.of(), args);
  }

  /** With JVM options besides the light ones, e.g. logging switches. */
  static ChildAgent start(Path stateDir, List<String> extraJvmOptions, List<String> args) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElseThrow(() -> new IllegalStateException("cannot find this JVM's java binary"));
    List<String> command = new ArrayList<>();
    // A home of its own: the terminal's shell starts there and reads no start-up files of the
    // machine's user (whose rc files may hang, e.g. on a stale pyenv rehash lock).
    Path home = stateDir.resolveSibling(stateDir.getFileName() + "-home");
    command.add(java);
    command.addAll(JVM_OPTIONS);
    command.addAll(extraJvmOptions);
    command.add("-Duser.home=" + home);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.courier.agent.AgentMain");
    command.add("--state-dir");
    command.add(stateDir.toString());
    command.addAll(args);
    try {
      Files.createDirectories(stateDir);
      Files.createDirectories(home);
      Files.writeString(home.resolve("notes.txt"), "a file for ls to find\n");
      Path log = Files.createTempFile(stateDir.getParent(), "agent-", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().put("HOME", home.toString());
      return new ChildAgent(builder.start(), stateDir, log, home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The identity the agent saved after enrolling, once it has. */
  Optional<AgentIdentity> identity() {
    return AgentIdentity.load(stateDir.resolve("identity.json"));
  }

  /** Waits until the agent has enrolled and saved its identity; fails if the process exits. */
  AgentIdentity awaitIdentity(Duration patience) {
    return await()
        .atMost(patience)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              assertThat(isAlive()).as("agent process exited").isTrue();
              return identity().orElse(null);
            },
            found -> found != null);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The processes the agent started that are still running (shells, commands, their children). */
  List<ProcessHandle> children() {
    return process.descendants().filter(ProcessHandle::isAlive).toList();
  }

  /** Sends SIGTERM and waits for the exit code; null if it did not exit in time. */
  Integer terminate(Duration patience) throws InterruptedException {
    process.destroy();
    return process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  /** SIGKILL: no shutdown hook, no flush, as a crash or the OOM killer would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Waits for the process to end on its own; its exit code, or null if it did not in time. */
  Integer awaitExit(Duration patience) throws InterruptedException {
    return process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  String log() {
    try {
      return "---- agent log " + log + " ----\n" + Files.readString(log);
    } catch (IOException e) {
      return "---- agent log " + log + " unreadable: " + e;
    }
  }

  /** Makes sure the process is gone: SIGTERM, then SIGKILL. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
