package dev.courier.agent.executor;

/** A command parameter the executor cannot use; the message names the field. */
final class InvalidParamException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String field;

  InvalidParamException(String field, String message) {
    super("params." + field + " " + message);
    this.field = field;
  }

  String field() {
    return field;
  }
}
