package dev.courier.agent;

/** The agent cannot start; carries the process exit code and a message for the operator. */
final class LaunchException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Wrong or missing input: fix the command line or environment. */
  static final int USAGE = 2;

  /** Something outside the command line failed (server refused enrollment, unreadable state). */
  static final int FAILURE = 1;

  private final int exitCode;

  LaunchException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
