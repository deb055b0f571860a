package dev.courier.cli;

/** The process exit codes every subcommand uses; scripts may rely on them. */
public final class ExitCodes {

  /** Done; for {@code commands run}, the command completed (or was queued, without --wait). */
  public static final int OK = 0;

  /**
   * The server refused the request (problem+json), or the command ended failed, timed out,
   * cancelled or expired.
   */
  public static final int FAILED = 1;

  /** Bad flags or arguments (picocli's usage error). */
  public static final int USAGE = 2;

  /** The server could not be reached or did not answer in time. */
  public static final int UNREACHABLE = 3;

  /** {@code commands run --wait}: the wait ended before the command reached a final state. */
  public static final int STILL_RUNNING = 4;

  private ExitCodes() {}
}
