package dev.courier.server.error;

/** A dependency (the database, usually) cannot serve now; the same request may succeed later. */
public final class UnavailableException extends CourierException {

  public UnavailableException(String message) {
    super(message, null);
  }

  public UnavailableException(String message, Throwable cause) {
    super(message, null, cause);
  }
}
