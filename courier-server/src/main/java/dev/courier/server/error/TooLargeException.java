package dev.courier.server.error;

/** A body, frame, or field exceeds its configured size limit. */
public final class TooLargeException extends CourierException {

  public TooLargeException(String message) {
    super(message, null);
  }

  public TooLargeException(String message, String field) {
    super(message, field);
  }
}
