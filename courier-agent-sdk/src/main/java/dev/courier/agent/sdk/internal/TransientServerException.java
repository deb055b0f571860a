package dev.courier.agent.sdk.internal;

/** The server could not be reached or answered 5xx/429: retry later with backoff. */
public final class TransientServerException extends Exception {

  public TransientServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
