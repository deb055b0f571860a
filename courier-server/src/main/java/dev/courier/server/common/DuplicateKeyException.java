package dev.courier.server.common;

/**
 * A write collided with a unique constraint (an idempotency key, a username, one active tunnel per
 * user and agent). Services map it to 409 or look up the existing row.
 */
public class DuplicateKeyException extends StorageException {
  private static final long serialVersionUID = 1L;

  public DuplicateKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
