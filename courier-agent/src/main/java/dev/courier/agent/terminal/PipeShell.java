package dev.courier.agent.terminal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Line mode, where no pseudo-terminal is available: the shell reads lines from a pipe and writes to
 * another (stderr merged). There is no terminal to echo what is typed, so this class echoes it, and
 * turns the carriage return a terminal sends for Enter into the newline a shell on a pipe needs.
 * Full-screen programs do not work; plain commands do.
 */
final class PipeShell implements InteractiveShell {

  private final Process process;
  private final OutputStream input;
  private final Echo echo;

  /** Where the echo of typed text goes (the shell's output stream, as the operator sees it). */
  interface Echo {
    void echo(String text) throws InterruptedException;
  }

  private PipeShell(Process process, Echo echo) {
    this.process = process;
    this.input = process.getOutputStream();
    this.echo = echo;
  }

  static PipeShell start(
      List<String> argv, Path directory, Map<String, String> environment, Echo echo)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    builder.redirectErrorStream(true);
    return new PipeShell(builder.start(), echo);
  }

  @Override
  public String mode() {
    return "line";
  }

  @Override
  public InputStream output() {
    return process.getInputStream();
  }

  @Override
  public synchronized void write(String text) throws IOException {
    String lines = text.replace("\r\n", "\n").replace('\r', '\n');
    try {
      echo.echo(lines.replace("\n", "\r\n"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    input.write(lines.getBytes(StandardCharsets.UTF_8));
    input.flush();
  }

  @Override
  public void resize(int cols, int rows) {
    // no window on a pipe
  }

  @Override
  public Process process() {
    return process;
  }
}
