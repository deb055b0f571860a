package dev.courier.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The server answered with an error status, normally with an {@code application/problem+json} body
 * (DESIGN §4): shown as {@code error: <status> <title>: <detail> (field: x)}.
 */
final class ApiProblem extends CliFailure {

  private final int status;
  private final String field;

  private ApiProblem(int status, String message, String field, String hint) {
    super(ExitCodes.FAILED, message, hint);
    this.status = status;
    this.field = field;
  }

  /**
   * Builds the failure from a response body, which may be a problem document, other JSON or text.
   *
   * @param loginHint shown for 401, e.g. the exact {@code login} command for this server
   */
  static ApiProblem of(int status, JsonNode problem, String rawBody, String loginHint) {
    String title = text(problem, "title");
    String detail = text(problem, "detail");
    String field = text(problem, "field");
    if (title == null) {
      title = "HTTP error";
    }
    if (detail == null && problem == null && rawBody != null && !rawBody.isBlank()) {
      detail = rawBody.length() > 200 ? rawBody.substring(0, 200) + "…" : rawBody.strip();
    }
    StringBuilder message = new StringBuilder().append(status).append(' ').append(title);
    if (detail != null) {
      message.append(": ").append(detail);
    }
    if (field != null) {
      message.append(" (field: ").append(field).append(')');
    }
    return new ApiProblem(status, message.toString(), field, status == 401 ? loginHint : null);
  }

  int status() {
    return status;
  }

  /** The request field the server named as the cause, or null. */
  String field() {
    return field;
  }

  private static String text(JsonNode node, String name) {
    if (node == null || !node.path(name).isValueNode() || node.path(name).isNull()) {
      return null;
    }
    String value = node.path(name).asText();
    return value.isBlank() ? null : value;
  }
}
