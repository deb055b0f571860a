package dev.courier.agent.terminal;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A shell on a real pseudo-terminal (pty4j): job control, prompts, colours, full-screen programs.
 */
final class PtyShell implements InteractiveShell {

  private final PtyProcess process;
  private final OutputStream input;

  private PtyShell(PtyProcess process) {
    this.process = process;
    this.input = process.getOutputStream();
  }

  /**
   * Starts {@code argv} on a new pseudo-terminal.
   *
   * @throws IOException when the program cannot be started
   * @throws LinkageError when pty4j's native part cannot be loaded on this system
   */
  static PtyShell start(
      List<String> argv, Path directory, Map<String, String> environment, int cols, int rows)
      throws IOException {
    PtyProcess process =
        new PtyProcessBuilder(argv.toArray(String[]::new))
            .setDirectory(directory.toString())
            .setEnvironment(environment)
            .setInitialColumns(cols)
            .setInitialRows(rows)
            .setRedirectErrorStream(true)
            .setConsole(false)
            .start();
    return new PtyShell(process);
  }

  @Override
  public String mode() {
    return "pty";
  }

  @Override
  public InputStream output() {
    return process.getInputStream();
  }

  @Override
  public synchronized void write(String text) throws IOException {
    input.write(text.getBytes(StandardCharsets.UTF_8));
    input.flush();
  }

  @Override
  public void resize(int cols, int rows) {
    if (process.isAlive()) {
      process.setWinSize(new WinSize(cols, rows));
    }
  }

  @Override
  public Process process() {
    return process;
  }
}
