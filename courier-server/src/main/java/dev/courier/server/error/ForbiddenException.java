package dev.courier.server.error;

/** The caller is known but may not do this (role, tenant, or another agent's command). */
public final class ForbiddenException extends CourierException {

  public ForbiddenException(String message) {
    super(message, null);
  }

  public ForbiddenException(String message, String field) {
    super(message, field);
  }
}
