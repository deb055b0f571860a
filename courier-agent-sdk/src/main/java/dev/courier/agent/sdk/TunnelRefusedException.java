package dev.courier.agent.sdk;

/**
 * Thrown by {@link TunnelHandler#open} to refuse a session; the message, which starts with one of
 * the {@link TunnelErrors} codes, is what the server and the operator are told.
 */
public final class TunnelRefusedException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * A refusal.
   *
   * @param code one of the {@link TunnelErrors} codes
   * @param message why, for the operator
   */
  public TunnelRefusedException(String code, String message) {
    super(TunnelErrors.of(code, message));
  }
}
