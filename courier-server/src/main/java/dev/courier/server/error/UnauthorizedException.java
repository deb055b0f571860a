package dev.courier.server.error;

/** No credential, or one that is unknown, expired or revoked. */
public final class UnauthorizedException extends CourierException {

  public UnauthorizedException(String message) {
    super(message, null);
  }

  public UnauthorizedException(String message, String field) {
    super(message, field);
  }
}
