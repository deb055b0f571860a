package dev.courier.agent.sdk;

/**
 * Enrollment failed. The message carries the HTTP status and the server's problem {@code detail}
 * (for example an expired or used-up token), or the I/O error that prevented the request.
 */
public final class EnrollmentException extends RuntimeException {

  /** The HTTP status, or 0 when no response arrived. */
  private final int status;

  /**
   * Creates the exception.
   *
   * @param message what went wrong, for people
   * @param status the HTTP status, or 0 when no response arrived
   * @param cause the underlying error, or null
   */
  public EnrollmentException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status the server answered, or 0 when no response arrived. */
  public int status() {
    return status;
  }
}
