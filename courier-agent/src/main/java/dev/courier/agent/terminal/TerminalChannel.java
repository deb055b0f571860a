package dev.courier.agent.terminal;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The interactive terminal of one tunnel session ({@code <session_id>:terminal}): a shell whose
 * output is read on one thread, gathered by an {@link OutputCoalescer} and sent on another as
 * {@code terminal_output} chunks, the last of them carrying the shell's exit code.
 */
final class TerminalChannel {

  private static final Logger log = LoggerFactory.getLogger(TerminalChannel.class);

  /** Keystroke messages waiting for the shell; past this the operator is told to slow down. */
  static final int INPUT_BACKLOG = 1024;

  private final String channelId;
  private final InteractiveShell shell;
  private final OutputCoalescer output;
  private final BlockingQueue<String> input = new LinkedBlockingQueue<>(INPUT_BACKLOG);
  private Thread writer;

  private TerminalChannel(String channelId, InteractiveShell shell, OutputCoalescer output) {
    this.channelId = channelId;
    this.shell = shell;
    this.output = output;
  }

  /**
   * Starts reading {@code shell}'s output into {@code output} and sending it, and writing what is
   * typed into the shell on a thread of its own: a shell that stops reading its input then blocks
   * only that thread, never the session's (which must stay free to close it).
   */
  static TerminalChannel attach(String channelId, InteractiveShell shell, OutputCoalescer output) {
    TerminalChannel channel = new TerminalChannel(channelId, shell, output);
    Thread.ofVirtual().name("courier-terminal-send-" + channelId).start(output::run);
    Thread.ofVirtual().name("courier-terminal-read-" + channelId).start(channel::pump);
    channel.writer =
        Thread.ofVirtual().name("courier-terminal-write-" + channelId).start(channel::typeIn);
    return channel;
  }

  private void typeIn() {
    try {
      while (true) {
        shell.write(input.take());
      }
    } catch (IOException e) {
      log.debug("Terminal {} input closed: {}", channelId, e.toString());
    } catch (InterruptedException e) {
      // closed
    }
  }

  private void pump() {
    char[] buffer = new char[8192];
    try (Reader reader = new InputStreamReader(shell.output(), StandardCharsets.UTF_8)) {
      int read;
      while ((read = reader.read(buffer)) >= 0) {
        output.append(new String(buffer, 0, read));
      }
    } catch (IOException e) {
      // the pty or pipe was closed: the shell is gone or being killed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Integer exit = null;
    try {
      Process process = shell.process();
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        exit = process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("Terminal {} ended (exit {})", channelId, exit);
    output.finish(exit);
  }

  String mode() {
    return shell.mode();
  }

  boolean isAlive() {
    return shell.process().isAlive();
  }

  /** Queues typed text for the shell; refused when the shell has not read the last 1024. */
  void write(String text) throws IOException {
    if (!input.offer(text)) {
      throw new IOException("the shell is not reading its input (" + INPUT_BACKLOG + " waiting)");
    }
  }

  void resize(int cols, int rows) {
    shell.resize(cols, rows);
  }

  /** Kills the shell and its jobs; sends nothing more. */
  void close() {
    output.stop();
    shell.kill();
    if (writer != null) {
      writer.interrupt();
    }
  }
}
