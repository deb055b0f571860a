package dev.courier.server.error;

/** The request is malformed or a field holds a value that is not allowed. */
public final class InvalidInputException extends CourierException {

  public InvalidInputException(String message) {
    super(message, null);
  }

  public InvalidInputException(String message, String field) {
    super(message, field);
  }
}
