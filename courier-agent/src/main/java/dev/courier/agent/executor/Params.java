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
  private final String prefix;

  private Params(ObjectNode params, String prefix) {
    this.params = params;
    this.prefix = prefix;
  }

  static Params of(ObjectNode params) {
    return new Params(params == null ? Json.object() : params, "");
  }

  /** The full name of a field for messages, e.g. {@code source_config.path} in a nested object. */
  String name(String field) {
    return prefix + field;
  }

  String requiredString(String field) throws InvalidParamException {
    JsonNode value = params.get(field);
    if (value == null || value.isNull()) {
      throw new InvalidParamException(name(field), "is required");
    }
    if (!value.isTextual()) {
      throw new InvalidParamException(name(field), "must be a string");
    }
    return value.asText();
  }

  /**
   * A nested object read with the same checks; its fields are named {@code field.inner} in
   * messages. Absent means an empty object.
   */
  Params object(String field) throws InvalidParamException {
    JsonNode value = params.get(field);
    if (value == null || value.isNull()) {
      return new Params(Json.object(), name(field) + ".");
    }
    if (!value.isObject()) {
      throw new InvalidParamException(name(field), "must be an object");
    }
    return new Params((ObjectNode) value, name(field) + ".");
  }

  /** True when the field is present and not null. */
  boolean has(String field) {
    JsonNode value = params.get(field);
    return value != null && !value.isNull();
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
      throw new InvalidParamException(name(field), "must be a whole number");
    }
    long number = value.asLong();
    if (number < min) {
      throw new InvalidParamException(name(field), "must be at least " + min);
    }
    return (int) Math.min(number, cap);
  }

  /** Like {@link #boundedInt} for sizes in bytes. */
  long boundedLong(String field, long fallback, long min, long cap) throws InvalidParamException {
    JsonNode value = params.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new InvalidParamException(name(field), "must be a whole number");
    }
    long number = value.asLong();
    if (number < min) {
      throw new InvalidParamException(name(field), "must be at least " + min);
    }
    return Math.min(number, cap);
  }

  /** An optional array of strings; absent means empty. */
  Optional<List<String>> stringList(String field) throws InvalidParamException {
    JsonNode value = params.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isArray()) {
      throw new InvalidParamException(name(field), "must be an array of strings");
    }
    List<String> items = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw new InvalidParamException(name(field), "must be an array of strings");
      }
      items.add(item.asText());
    }
    return Optional.of(List.copyOf(items));
  }
}
