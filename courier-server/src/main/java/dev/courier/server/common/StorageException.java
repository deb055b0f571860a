package dev.courier.server.common;

/** The storage failed (connection lost, constraint the caller did not expect, bad SQL). */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
