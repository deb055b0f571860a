package dev.courier.agent.terminal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
  private static final Duration DRAIN_WAIT = Duration.ofSeconds(2);

  /** How it ended. {@code exitCode} is null when it was killed. */
  record Result(String stdout, String stderr, Integer exitCode, boolean truncated) {}

  private final Process process;
  private final Capture stdout;
  private final Capture stderr;
  private volatile boolean killed;

  private OneShotCommand(Process process, int cap) {
    this.process = process;
    this.stdout = new Capture(process.getInputStream(), cap);
    this.stderr = new Capture(process.getErrorStream(), cap);
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
    stdout.finish();
    stderr.finish();
    String err = stderr.text();
    if (!exited) {
      err += (err.isEmpty() || err.endsWith("\n") ? "" : "\n") + timedOutMarker(timeout);
    }
    Integer exit = exited && !killed ? Integer.valueOf(process.exitValue()) : null;
    return new Result(stdout.text(), err, exit, stdout.truncated() || stderr.truncated());
  }

  static String timedOutMarker(Duration timeout) {
    return "[timed out after " + timeout.toSeconds() + " s]";
  }

  /** Kills the command and everything it started. */
  void kill() {
    killed = true;
    ProcessTrees.killNow(process.toHandle());
  }

  /** Reads one stream on its own thread, keeping at most {@code cap} bytes. */
  private static final class Capture {
    private final InputStream in;
    private final int cap;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final Thread thread;
    private long dropped;

    Capture(InputStream in, int cap) {
      this.in = in;
      this.cap = cap;
      this.thread = Thread.ofVirtual().name("courier-terminal-cmd").start(this::drain);
    }

    private void drain() {
      byte[] buffer = new byte[8192];
      try {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          synchronized (kept) {
            int room = Math.max(0, cap - kept.size());
            kept.write(buffer, 0, Math.min(room, read));
            dropped += Math.max(0, read - room);
          }
        }
      } catch (IOException e) {
        // closed after the process ended
      }
    }

    void finish() {
      try {
        if (!thread.join(DRAIN_WAIT)) {
          // A detached grandchild may still hold the pipe open.
          in.close();
          thread.join(DRAIN_WAIT);
        }
      } catch (IOException e) {
        // already closed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    boolean truncated() {
      synchronized (kept) {
        return dropped > 0;
      }
    }

    String text() {
      synchronized (kept) {
        String text = kept.toString(StandardCharsets.UTF_8);
        if (dropped > 0) {
          text +=
              (text.endsWith("\n") ? "" : "\n")
                  + "[truncated: "
                  + dropped
                  + " more bytes dropped at the agent's cap of "
                  + cap
                  + " bytes]";
        }
        return text;
      }
    }
  }
}
