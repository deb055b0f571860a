package dev.courier.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.Priority;
import dev.courier.server.error.InvalidInputException;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads request bodies field by field with errors that name the field. Used where a body has
 * alternative shapes (seed aliases) that a plain record binding cannot express.
 */
public final class Bodies {

  private final ObjectMapper json;

  public Bodies(ObjectMapper json) {
    this.json = json;
  }

  public ObjectNode object(Context ctx) {
    String body = ctx.body();
    if (body.isBlank()) {
      throw new InvalidInputException("a JSON object body is required");
    }
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (!(node instanceof ObjectNode object)) {
      throw new InvalidInputException("the body must be a JSON object");
    }
    return object;
  }

  /** Binds the body to {@code type}; errors name the field Jackson stopped at. */
  public <T> T as(Context ctx, Class<T> type) {
    ObjectNode body = object(ctx);
    try {
      return json.convertValue(body, type);
    } catch (IllegalArgumentException e) {
      throw bindingError(e);
    }
  }

  /**
   * Protocol records reject a missing field with a {@code NullPointerException} named after the
   * wire field and a bad value with an {@code IllegalArgumentException}; Jackson wraps both.
   */
  static InvalidInputException bindingError(IllegalArgumentException e) {
    if (!(e.getCause() instanceof JsonMappingException mapping)) {
      return new InvalidInputException("the body does not match the expected shape");
    }
    String field =
        mapping.getPath().stream()
            .map(JsonMappingException.Reference::getFieldName)
            .filter(Objects::nonNull)
            .reduce((first, second) -> second)
            .orElse(null);
    Throwable reason = mapping.getCause();
    if (reason instanceof NullPointerException missing && missing.getMessage() != null) {
      String name = field != null ? field : missing.getMessage();
      return new InvalidInputException(name + " is required", name);
    }
    if (reason instanceof IllegalArgumentException invalid && invalid.getMessage() != null) {
      return new InvalidInputException(invalid.getMessage(), field);
    }
    return field == null
        ? new InvalidInputException("the body does not match the expected shape")
        : new InvalidInputException(field + " has the wrong type or value", field);
  }

  /** The first present, non-null field of {@code names} (a field and its seed alias). */
  public static Optional<JsonNode> field(ObjectNode body, String... names) {
    for (String name : names) {
      JsonNode value = body.get(name);
      if (value != null && !value.isNull()) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  public static Optional<String> text(ObjectNode body, String... names) {
    return field(body, names)
        .map(
            value -> {
              if (!value.isTextual()) {
                throw new InvalidInputException(names[0] + " must be a string", names[0]);
              }
              return value.asText();
            });
  }

  public static String requiredText(ObjectNode body, String... names) {
    String value =
        text(body, names)
            .orElseThrow(() -> new InvalidInputException(names[0] + " is required", names[0]));
    if (value.isBlank()) {
      throw new InvalidInputException(names[0] + " must not be empty", names[0]);
    }
    return value;
  }

  public static Optional<Long> integer(ObjectNode body, String name) {
    return field(body, name)
        .map(
            value -> {
              if (!value.canConvertToLong() || !value.isIntegralNumber()) {
                throw new InvalidInputException(name + " must be a whole number", name);
              }
              return value.asLong();
            });
  }

  public static Optional<Instant> instant(ObjectNode body, String name) {
    return text(body, name)
        .map(
            value -> {
              try {
                return Instant.parse(value);
              } catch (DateTimeParseException e) {
                throw new InvalidInputException(
                    name + " must be an ISO-8601 UTC time such as 2026-01-16T11:00:00Z", name);
              }
            });
  }

  public static Optional<ObjectNode> object(ObjectNode body, String... names) {
    return field(body, names)
        .map(
            value -> {
              if (!(value instanceof ObjectNode object)) {
                throw new InvalidInputException(names[0] + " must be a JSON object", names[0]);
              }
              return object;
            });
  }

  /** A flat object of string values, such as labels. */
  /**
   * The optional {@code priority}: a wire name, or null when absent.
   *
   * @throws InvalidInputException naming {@code priority} for anything else
   */
  public static Priority priority(ObjectNode body) {
    return text(body, "priority")
        .map(
            value -> {
              try {
                return Priority.fromWire(value);
              } catch (IllegalArgumentException e) {
                throw new InvalidInputException(
                    "priority must be one of low, normal, high, critical", "priority");
              }
            })
        .orElse(null);
  }

  public static Optional<Map<String, String>> stringMap(ObjectNode body, String name) {
    return object(body, name)
        .map(
            object -> {
              Map<String, String> values = new LinkedHashMap<>();
              object
                  .properties()
                  .forEach(
                      entry -> {
                        if (!entry.getValue().isTextual()) {
                          throw new InvalidInputException(
                              name + "." + entry.getKey() + " must be a string",
                              name + "." + entry.getKey());
                        }
                        values.put(entry.getKey(), entry.getValue().asText());
                      });
              return values;
            });
  }
}
