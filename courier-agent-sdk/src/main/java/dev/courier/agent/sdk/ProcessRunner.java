package dev.courier.agent.sdk;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Starts processes for a command. Processes take argument lists and are never run through a shell.
 * The runner kills the whole process tree (descendants first get a polite destroy, then a forced
 * one after a short grace) when the timeout passes, when the command is cancelled and when the
 * command's deadline passes. Both output streams are drained on their own threads, so a chatty
 * child never blocks, and each is capped at the agent's output cap.
 */
public interface ProcessRunner {

  /**
   * Runs {@code argv} in the agent's working directory and waits for it.
   *
   * @param argv program and arguments; {@code argv.get(0)} is the executable
   * @param timeout kill the process tree after this long (the command's deadline applies too)
   * @throws IOException when the program cannot be started
   * @throws InterruptedException when the calling thread is interrupted; the tree is killed first
   */
  ProcessResult run(List<String> argv, Duration timeout) throws IOException, InterruptedException;

  /**
   * Runs {@code argv} in {@code workingDirectory} and waits for it.
   *
   * @see #run(List, Duration)
   */
  ProcessResult run(List<String> argv, Duration timeout, Path workingDirectory)
      throws IOException, InterruptedException;
}
