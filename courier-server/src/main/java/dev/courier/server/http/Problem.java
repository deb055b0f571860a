package dev.courier.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document. {@code field} names the offending request field; {@code requestId}
 * lets an operator find the matching log line.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, String field, String requestId) {

  public static final String CONTENT_TYPE = "application/problem+json";

  public static Problem of(int status, String detail, String field, String requestId) {
    return new Problem(typeFor(status), titleFor(status), status, detail, field, requestId);
  }

  private static String typeFor(int status) {
    return "https://courier.dev/problems/" + titleFor(status).toLowerCase().replace(' ', '-');
  }

  static String titleFor(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Internal Server Error" : "Client Error";
    };
  }
}
