package dev.courier.server.error;

/**
 * No such thing exists in the caller's scope; used also for other tenants' ids, so they leak
 * nothing.
 */
public final class NotFoundException extends CourierException {

  public NotFoundException(String message) {
    super(message, null);
  }

  public NotFoundException(String message, String field) {
    super(message, field);
  }
}
