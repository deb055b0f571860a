package dev.courier.agent.sdk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The standard output and standard error of a started process, each read on its own virtual thread
 * and kept up to a byte cap; what goes past the cap is read and counted but dropped.
 *
 * <p>Both streams are drained from the moment of {@link #capture}, because a child that fills one
 * pipe while nobody reads it blocks forever. Call {@link #finish()} once the process has exited,
 * then read {@link #stdout()} and {@link #stderr()}. The kept bytes are decoded as UTF-8.
 *
 * <p>{@link CommandContext#processes()} captures this way for executors (and kills the process on
 * cancel and timeout); use this class for a process the agent starts outside a command, such as a
 * tunnel's terminal command line.
 *
 * <pre>{@code
 * Process process = new ProcessBuilder("sh", "-c", "make").start();
 * ProcessOutput output = ProcessOutput.capture(process, 64 * 1024);
 * process.waitFor();
 * output.finish();
 * String log = output.stdout().text();
 * }</pre>
 */
public final class ProcessOutput {

  /** How long {@link #finish()} waits for a stream to reach its end, and again after closing it. */
  public static final Duration DRAIN_WAIT = Duration.ofSeconds(2);

  private final Drain stdout;
  private final Drain stderr;

  private ProcessOutput(Drain stdout, Drain stderr) {
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts draining both output streams of {@code process}, keeping at most {@code capBytes} of
   * each.
   *
   * @throws IllegalArgumentException when {@code capBytes} is negative
   */
  public static ProcessOutput capture(Process process, int capBytes) {
    return start(process, capBytes, null);
  }

  /**
   * Starts draining both output streams of {@code process}, streaming them to {@code live} as well.
   *
   * @param capBytes bytes kept per stream
   * @param live sees every chunk as it is read, the dropped ones too, decoded as UTF-8 one read at
   *     a time and tagged {@code "stdout"} or {@code "stderr"}; a sink that throws loses that chunk
   *     and does not stop the capture
   * @throws IllegalArgumentException when {@code capBytes} is negative
   */
  public static ProcessOutput capture(Process process, int capBytes, OutputSink live) {
    return start(process, capBytes, Objects.requireNonNull(live, "live"));
  }

  private static ProcessOutput start(Process process, int capBytes, OutputSink live) {
    Objects.requireNonNull(process, "process");
    if (capBytes < 0) {
      throw new IllegalArgumentException("capBytes must not be negative, was " + capBytes);
    }
    Drain stdout = new Drain("stdout", process.getInputStream(), capBytes, live);
    Drain stderr = new Drain("stderr", process.getErrorStream(), capBytes, live);
    return new ProcessOutput(stdout, stderr);
  }

  /**
   * Waits, after the process exited, until both streams are read to their end. A stream still open
   * after {@link #DRAIN_WAIT} (a detached grandchild may hold the pipe) is closed and given that
   * wait once more, so this returns within about twice that wait per stream. Keeps the interrupt
   * flag when interrupted.
   */
  public void finish() {
    stdout.finish();
    stderr.finish();
  }

  /** Standard output as read so far. */
  public Captured stdout() {
    return stdout.captured();
  }

  /** Standard error as read so far. */
  public Captured stderr() {
    return stderr.captured();
  }

  /** True when either stream went past the cap. */
  public boolean truncated() {
    return stdout.dropped() > 0 || stderr.dropped() > 0;
  }

  /**
   * What was kept of one stream.
   *
   * @param text the first {@code capBytes} bytes, decoded as UTF-8
   * @param droppedBytes how many bytes past the cap were read and dropped
   * @param capBytes the cap the stream was kept to
   */
  public record Captured(String text, long droppedBytes, int capBytes) {

    /** True when bytes were dropped. */
    public boolean truncated() {
      return droppedBytes > 0;
    }

    /**
     * The text, followed on a line of its own by a marker saying how much was dropped when the
     * stream went past the cap ({@code [truncated: N more bytes dropped at the agent's cap of C
     * bytes]}); just the text otherwise.
     */
    public String textWithMarker() {
      if (!truncated()) {
        return text;
      }
      return text
          + (text.endsWith("\n") ? "" : "\n")
          + "[truncated: "
          + droppedBytes
          + " more bytes dropped at the agent's cap of "
          + capBytes
          + " bytes]";
    }
  }

  /** Reads one stream on its own thread, keeping at most the cap and streaming chunks. */
  private static final class Drain {
    private final String name;
    private final InputStream in;
    private final int capBytes;
    private final OutputSink live; // null when nobody listens: chunks are not decoded then
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final Thread thread;
    private long dropped;

    Drain(String name, InputStream in, int capBytes, OutputSink live) {
      this.name = name;
      this.in = in;
      this.capBytes = capBytes;
      this.live = live;
      this.thread = Thread.ofVirtual().name("courier-drain-" + name).start(this::drain);
    }

    private void drain() {
      byte[] buffer = new byte[8192];
      try {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          synchronized (kept) {
            int room = capBytes - kept.size();
            kept.write(buffer, 0, Math.min(room, read));
            dropped += Math.max(0, read - room);
          }
          if (read > 0 && live != null) {
            forward(new String(buffer, 0, read, StandardCharsets.UTF_8));
          }
        }
      } catch (IOException e) {
        // closed after the process exited, or by finish(): nothing more to read
      }
    }

    private void forward(String text) {
      try {
        live.write(name, text);
      } catch (RuntimeException e) {
        // live output is best effort; the captured text carries the output
      }
    }

    void finish() {
      try {
        if (!thread.join(DRAIN_WAIT)) {
          // A detached grandchild may still hold the pipe open; stop waiting for it.
          in.close();
          thread.join(DRAIN_WAIT);
        }
      } catch (IOException e) {
        // already closed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    long dropped() {
      synchronized (kept) {
        return dropped;
      }
    }

    Captured captured() {
      synchronized (kept) {
        return new Captured(kept.toString(StandardCharsets.UTF_8), dropped, capBytes);
      }
    }
  }
}
