package dev.courier.agent.terminal;

import java.io.IOException;
import java.io.InputStream;

/** A running interactive shell: a pseudo-terminal's, or one on plain pipes (line mode). */
interface InteractiveShell {

  /** {@code pty} or {@code line}. */
  String mode();

  /** What the shell writes (stdout and stderr merged). */
  InputStream output();

  /** Types {@code text} into the shell. */
  void write(String text) throws IOException;

  /** The window size changed; ignored in line mode. */
  void resize(int cols, int rows);

  /** The shell process. */
  Process process();

  /** Kills the shell and everything it started. */
  default void kill() {
    // By pid: pty4j's process does not support toHandle().
    ProcessHandle.of(process().pid()).ifPresent(ProcessTrees::killNow);
    process().destroyForcibly();
  }
}
