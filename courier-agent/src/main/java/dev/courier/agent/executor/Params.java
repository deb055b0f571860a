package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a command's parameters with the checks every executor needs. The server validates
 * parameters against the command type's schema too; the agent checks again because a plugin's type,
 * an older server or a hand-written envelope may skip that.
 */
final class Params {

  private final ObjectNode params;

  private Params(ObjectNode params) {
    this.params = params;
  }

  static Params of(ObjectNode params) {
    return new Params(params == null ? Json.object() : params);
  }

  String requiredString(String field) throws InvalidParamException {
    JsonNode value = params.get(field);
    if (value == null || value.isNull()) {
      throw new InvalidParamException(field, "is required");
    }
    if (!value.isTextual()) {
      throw new InvalidParamException(field, "must be a string");
    }
    return value.asText();
  }

  /** An optional string; absent means {@code fallback}. */
  String optionalString(String field, String fallback) throws InvalidParamException {
    JsonNode value = params.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    return requiredString(field);
  }

  /**
   * An optional whole number: absent means {@code fallback}, below {@code min} is refused, above
   * {@code cap} is lowered to the cap (a bounded executor never refuses "as much as possible").
   */
  int boundedInt(String field, int fallback, int min, int cap) throws InvalidParamException {
    JsonNode value = params.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new InvalidParamException(field, "must be a whole number");
    }
    long number = value.asLong();
    if (number < min) {
      throw new InvalidParamException(field, "must be at least " + min);
    }
    return (int) Math.min(number, cap);
  }

  /** An optional array of strings; absent means empty. */
  Optional<List<String>> stringList(String field) throws InvalidParamException {
    JsonNode value = params.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isArray()) {
      throw new InvalidParamException(field, "must be an array of strings");
    }
    List<String> items = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw new InvalidParamException(field, "must be an array of strings");
      }
      items.add(item.asText());
    }
    return Optional.of(List.copyOf(items));
  }
}
