package dev.courier.agent.terminal;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
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

  private final String channelId;
  private final InteractiveShell shell;
  private final OutputCoalescer output;

  private TerminalChannel(String channelId, InteractiveShell shell, OutputCoalescer output) {
    this.channelId = channelId;
    this.shell = shell;
    this.output = output;
  }

  /** Starts reading {@code shell}'s output into {@code output} and sending it. */
  static TerminalChannel attach(String channelId, InteractiveShell shell, OutputCoalescer output) {
    TerminalChannel channel = new TerminalChannel(channelId, shell, output);
    Thread.ofVirtual().name("courier-terminal-send-" + channelId).start(output::run);
    Thread.ofVirtual().name("courier-terminal-read-" + channelId).start(channel::pump);
    return channel;
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

  void write(String text) throws IOException {
    shell.write(text);
  }

  void resize(int cols, int rows) {
    shell.resize(cols, rows);
  }

  /** Kills the shell and its jobs; sends nothing more. */
  void close() {
    output.stop();
    shell.kill();
  }
}
