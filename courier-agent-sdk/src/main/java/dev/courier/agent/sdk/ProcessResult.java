package dev.courier.agent.sdk;

/**
 * How a process ended.
 *
 * @param exitCode the process's exit code; when it was killed, whatever the OS reported (often 137
 *     or 143)
 * @param stdout standard output, decoded as UTF-8, at most the agent's output cap
 * @param stderr standard error, decoded as UTF-8, at most the agent's output cap
 * @param timedOut killed because its own timeout or the command's deadline passed
 * @param cancelled killed because the command was cancelled or the agent is stopping
 * @param truncated some output was dropped because of the output cap
 */
public record ProcessResult(
    int exitCode,
    String stdout,
    String stderr,
    boolean timedOut,
    boolean cancelled,
    boolean truncated) {

  /** Null streams read as empty. */
  public ProcessResult {
    stdout = stdout == null ? "" : stdout;
    stderr = stderr == null ? "" : stderr;
  }

  /** True when the process exited by itself with code 0. */
  public boolean succeeded() {
    return exitCode == 0 && !timedOut && !cancelled;
  }
}
