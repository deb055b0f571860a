package dev.courier.server.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Objects;

/**
 * A named, versioned command template (DESIGN §1): what the agent runs, the JSON Schema its
 * parameters must satisfy, its default timeout and expiry, and whether a retry is harmless.
 */
public record CommandType(
    String name,
    int version,
    String description,
    JsonNode paramsSchema,
    Duration defaultTimeout,
    Duration defaultExpiry,
    boolean retrySafe) {

  public CommandType {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(paramsSchema, "paramsSchema");
    Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    Objects.requireNonNull(defaultExpiry, "defaultExpiry");
  }
}
