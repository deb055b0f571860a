package dev.courier.agent.sdk;

/**
 * The machine codes a {@code tunnel_error} starts with (docs/tunnels.md), followed by {@code ": "}
 * and a sentence for the operator.
 */
public final class TunnelErrors {

  /** The agent has no tunnel handler, or its terminal is switched off. */
  public static final String TERMINAL_DISABLED = "terminal_disabled";

  /** Data for a session the agent has not accepted (or has already closed). */
  public static final String UNKNOWN_SESSION = "unknown_session";

  /** A process (shell, command) could not be started. */
  public static final String SPAWN_FAILED = "spawn_failed";

  /** A command ran out of time. */
  public static final String TIMED_OUT = "timed_out";

  /** The agent's limit of sessions or channels is reached. */
  public static final String TOO_MANY_CHANNELS = "too_many_channels";

  /** A message the agent cannot read: unknown type, missing or malformed field. */
  public static final String BAD_PAYLOAD = "bad_payload";

  /** The handler failed unexpectedly; the agent's log has the details. */
  public static final String INTERNAL = "internal";

  private TunnelErrors() {}

  /** {@code code + ": " + message}. */
  public static String of(String code, String message) {
    return code + ": " + message;
  }
}
