package dev.courier.agent.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.protocol.ProtocolJson;

/** Turns an HTTP error answer (usually problem+json) into one line for logs and exceptions. */
public final class HttpProblems {

  private static final int MAX_RAW = 300;

  private HttpProblems() {}

  /** {@code "HTTP 409: command already acknowledged"} or the raw body, shortened. */
  public static String describe(int status, String body) {
    String detail = null;
    if (body != null && !body.isBlank()) {
      try {
        JsonNode node = ProtocolJson.mapper().readTree(body);
        if (node != null && node.isObject()) {
          detail = text(node, "detail");
          if (detail == null) {
            detail = text(node, "title");
          }
        }
      } catch (Exception e) {
        // not JSON: fall back to the raw body
      }
      if (detail == null) {
        detail = body.length() > MAX_RAW ? body.substring(0, MAX_RAW) + "…" : body;
      }
    }
    return detail == null ? "HTTP " + status : "HTTP " + status + ": " + detail.strip();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
  }
}
