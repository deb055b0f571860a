package dev.courier.agent.terminal;

import dev.courier.agent.sdk.ProcessOutput;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One command line of a tunnel session ({@code terminal} message, seed 001): {@code /bin/sh -c
 * <line>} ({@code cmd /c} on Windows) with no input, both streams captured up to the cap (a marker
 * says what was dropped), killed with its whole process tree when the timeout passes or the session
 * closes.
 */
final class OneShotCommand {

  private static final File NULL_INPUT = new File(TerminalSettings.windows() ? "NUL" : "/dev/null");

  /** How it ended. {@code exitCode} is null when it was killed. */
  record Result(String stdout, String stderr, Integer exitCode, boolean truncated) {}

  private final Process process;
  private final ProcessOutput output;
  private volatile boolean killed;

  private OneShotCommand(Process process, int cap) {
    this.process = process;
    this.output = ProcessOutput.capture(process, cap);
  }

  /**
   * Starts {@code line}.
   *
   * @throws IOException when the shell cannot be started
   */
  static OneShotCommand start(String line, Path directory, Map<String, String> environment, int cap)
      throws IOException {
    List<String> argv =
        TerminalSettings.windows() ? List.of("cmd", "/c", line) : List.of("/bin/sh", "-c", line);
    ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    builder.redirectInput(ProcessBuilder.Redirect.from(NULL_INPUT));
    return new OneShotCommand(builder.start(), cap);
  }

  /** Waits for the end, killing the tree after {@code timeout}. */
  Result await(Duration timeout) throws InterruptedException {
    boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!exited) {
      kill();
      process.waitFor(5, TimeUnit.SECONDS);
    }
    output.finish();
    String err = output.stderr().textWithMarker();
    if (!exited) {
      err += (err.isEmpty() || err.endsWith("\n") ? "" : "\n") + timedOutMarker(timeout);
    }
    Integer exit = exited && !killed ? Integer.valueOf(process.exitValue()) : null;
    return new Result(output.stdout().textWithMarker(), err, exit, output.truncated());
  }

  static String timedOutMarker(Duration timeout) {
    return "[timed out after " + timeout.toSeconds() + " s]";
  }

  /** Kills the command and everything it started. */
  void kill() {
    killed = true;
    ProcessTrees.killNow(process.toHandle());
  }
}
