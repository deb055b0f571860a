package dev.courier.agent.sdk.internal;

import dev.courier.agent.sdk.OutputSink;
import dev.courier.agent.sdk.ProcessResult;
import dev.courier.agent.sdk.ProcessRunner;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@link ProcessRunner} of one command. It remembers the processes it started so that a cancel
 * or the command's deadline can kill their trees ({@link #killAll()}), and it never starts a new
 * process once the command is stopping.
 */
public final class CommandProcessRunner implements ProcessRunner {

  /** How long a killed process tree gets to exit on SIGTERM before it is killed outright. */
  public static final Duration KILL_GRACE = Duration.ofSeconds(2);

  /** How long to wait for output drainers after the process exited. */
  private static final Duration DRAIN_WAIT = Duration.ofSeconds(2);

  private static final File NULL_FILE =
      new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");

  private final int outputCapBytes;
  private final Supplier<Instant> deadline;
  private final Supplier<StopReason> stopReason;
  private final OutputSink sink;
  private final Clock clock;
  private final Set<Process> live = ConcurrentHashMap.newKeySet();

  /** Why a command's processes were killed from outside. */
  public enum StopReason {
    /** Not stopping. */
    NONE,
    /** Cancelled by the server or stopped by the agent's shutdown. */
    CANCELLED,
    /** The command's deadline passed. */
    TIMED_OUT
  }

  /**
   * A runner for one command.
   *
   * @param deadline the command's deadline, or a far-future instant when there is none
   * @param stopReason whether (and why) the command is being stopped
   */
  public CommandProcessRunner(
      int outputCapBytes,
      Supplier<Instant> deadline,
      Supplier<StopReason> stopReason,
      OutputSink sink,
      Clock clock) {
    this.outputCapBytes = outputCapBytes;
    this.deadline = deadline;
    this.stopReason = stopReason;
    this.sink = sink;
    this.clock = clock;
  }

  @Override
  public ProcessResult run(List<String> argv, Duration timeout)
      throws IOException, InterruptedException {
    return run(argv, timeout, null);
  }

  @Override
  public ProcessResult run(List<String> argv, Duration timeout, Path workingDirectory)
      throws IOException, InterruptedException {
    Objects.requireNonNull(argv, "argv");
    Objects.requireNonNull(timeout, "timeout");
    if (argv.isEmpty() || argv.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("argv must be a non-empty list without nulls");
    }
    StopReason before = stopReason.get();
    if (before != StopReason.NONE) {
      return new ProcessResult(
          -1, "", "", before == StopReason.TIMED_OUT, before == StopReason.CANCELLED, false);
    }
    ProcessBuilder builder = new ProcessBuilder(List.copyOf(argv));
    builder.redirectInput(ProcessBuilder.Redirect.from(NULL_FILE));
    if (workingDirectory != null) {
      builder.directory(workingDirectory.toFile());
    }
    Process process = builder.start();
    live.add(process);
    try {
      Capture stdout = new Capture("stdout", process.getInputStream());
      Capture stderr = new Capture("stderr", process.getErrorStream());
      Duration untilDeadline = Duration.between(clock.instant(), deadline.get());
      Duration wait = timeout.compareTo(untilDeadline) < 0 ? timeout : untilDeadline;
      boolean ownTimeout = false;
      boolean exited;
      try {
        exited = process.waitFor(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        ProcessTree.kill(process.toHandle(), KILL_GRACE);
        throw e;
      }
      if (!exited) {
        ownTimeout = true;
        ProcessTree.kill(process.toHandle(), KILL_GRACE);
      }
      int exitCode = waitUninterruptibly(process);
      stdout.finish();
      stderr.finish();
      StopReason reason = stopReason.get();
      boolean cancelled = reason == StopReason.CANCELLED;
      boolean timedOut = !cancelled && (ownTimeout || reason == StopReason.TIMED_OUT);
      return new ProcessResult(
          exitCode,
          stdout.text(),
          stderr.text(),
          timedOut,
          cancelled,
          stdout.truncated() || stderr.truncated());
    } finally {
      live.remove(process);
    }
  }

  /** Kills the trees of all processes this command is running now. */
  public void killAll() {
    for (Process process : List.copyOf(live)) {
      Thread.ofVirtual()
          .name("courier-kill-" + process.pid())
          .start(() -> ProcessTree.kill(process.toHandle(), KILL_GRACE));
    }
  }

  /** Number of processes running now. */
  public int running() {
    return live.size();
  }

  private static int waitUninterruptibly(Process process) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return process.waitFor();
        } catch (InterruptedException e) {
          interrupted = true;
          ProcessTree.kill(process.toHandle(), KILL_GRACE);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Drains one stream on its own thread, keeping at most the cap and streaming chunks. */
  private final class Capture {
    private final String name;
    private final InputStream in;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final Thread thread;
    private volatile boolean truncated;

    Capture(String name, InputStream in) {
      this.name = name;
      this.in = in;
      this.thread = Thread.ofVirtual().name("courier-drain-" + name).start(this::drain);
    }

    private void drain() {
      byte[] buffer = new byte[8192];
      try {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          synchronized (kept) {
            int room = outputCapBytes - kept.size();
            if (room > 0) {
              kept.write(buffer, 0, Math.min(room, read));
            }
            if (read > room) {
              truncated = true;
            }
          }
          if (read > 0) {
            forward(new String(buffer, 0, read, StandardCharsets.UTF_8));
          }
        }
      } catch (IOException e) {
        // stream closed after the process exited: nothing more to read
      }
    }

    private void forward(String text) {
      try {
        sink.write(name, text);
      } catch (RuntimeException e) {
        // live output is best effort; the final result carries the output
      }
    }

    void finish() {
      try {
        if (!thread.join(DRAIN_WAIT)) {
          // A detached grandchild may still hold the pipe; stop waiting for it.
          in.close();
          thread.join(DRAIN_WAIT);
        }
      } catch (IOException e) {
        // already closed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    String text() {
      synchronized (kept) {
        return kept.toString(StandardCharsets.UTF_8);
      }
    }

    boolean truncated() {
      return truncated;
    }
  }
}
