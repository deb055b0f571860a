package dev.courier.server.error;

/** The thing is not in a state that allows the change, or a unique key is already taken. */
public final class ConflictException extends CourierException {

  public ConflictException(String message) {
    super(message, null);
  }

  public ConflictException(String message, String field) {
    super(message, field);
  }
}
