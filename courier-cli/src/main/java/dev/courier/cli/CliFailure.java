package dev.courier.cli;

/**
 * A failure the CLI reports as one line on standard error (plus an optional hint) and turns into an
 * exit code; no stack trace, because these are expected outcomes, not bugs.
 */
class CliFailure extends RuntimeException {

  private final int exitCode;
  private final String hint;

  CliFailure(int exitCode, String message, String hint) {
    super(message);
    this.exitCode = exitCode;
    this.hint = hint;
  }

  CliFailure(int exitCode, String message) {
    this(exitCode, message, null);
  }

  int exitCode() {
    return exitCode;
  }

  /** A suggestion printed after the error, such as running {@code login}; may be null. */
  String hint() {
    return hint;
  }
}
