package dev.courier.agent.sdk.internal;

import dev.courier.agent.sdk.OutputSink;
import dev.courier.agent.sdk.ProcessOutput;
import dev.courier.agent.sdk.ProcessResult;
import dev.courier.agent.sdk.ProcessRunner;
import java.io.File;
import java.io.IOException;
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

  private static final File NULL_FILE =
      new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");

  private final int outputCapBytes;
  private final Supplier<Instant> deadline;
  private final Supplier<StopReason> stopReason;
  private final OutputSink sink;
  private final Clock clock;
  private final Set<Process> live = ConcurrentHashMap.newKeySet();
  private volatile boolean endedAtDeadline;

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
      ProcessOutput output = ProcessOutput.capture(process, outputCapBytes, sink);
      Duration untilDeadline = Duration.between(clock.instant(), deadline.get());
      boolean deadlineFirst = timeout.compareTo(untilDeadline) >= 0;
      Duration wait = deadlineFirst ? untilDeadline : timeout;
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
        endedAtDeadline |= deadlineFirst;
        ProcessTree.kill(process.toHandle(), KILL_GRACE);
      }
      int exitCode = waitUninterruptibly(process);
      output.finish();
      StopReason reason = stopReason.get();
      boolean cancelled = reason == StopReason.CANCELLED;
      boolean timedOut = !cancelled && (ownTimeout || reason == StopReason.TIMED_OUT);
      return new ProcessResult(
          exitCode,
          output.stdout().text(),
          output.stderr().text(),
          timedOut,
          cancelled,
          output.truncated());
    } finally {
      live.remove(process);
    }
  }

  /**
   * True once this runner ended a process because the command's deadline passed: that can be a
   * moment before the command's own watchdog fires, and the command has timed out either way.
   */
  public boolean endedAtDeadline() {
    return endedAtDeadline;
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
}
