package dev.courier.server.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.courier.server.error.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command types the server accepts, each with its compiled parameter schema. Unknown types are
 * refused here, at the API, and never reach an agent.
 */
public final class CommandTypeCatalog {

  static final Duration DEFAULT_EXPIRY = Duration.ofHours(24);
  private static final String BUILTINS = "builtin-command-types.json";

  private final Map<String, Entry> types = new LinkedHashMap<>();

  private record Entry(CommandType type, JsonSchema schema) {}

  private CommandTypeCatalog() {}

  /** The built-in types of DESIGN §5, read from the catalog shipped with the server. */
  public static CommandTypeCatalog builtins(ObjectMapper json) {
    CommandTypeCatalog catalog = new CommandTypeCatalog();
    JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    try (InputStream in = CommandTypeCatalog.class.getResourceAsStream(BUILTINS)) {
      if (in == null) {
        throw new IllegalStateException(BUILTINS + " is missing from the server's resources");
      }
      for (JsonNode node : json.readTree(in)) {
        CommandType type =
            new CommandType(
                node.get("name").asText(),
                node.path("version").asInt(1),
                node.path("description").asText(""),
                node.get("params_schema"),
                Duration.ofSeconds(node.path("default_timeout_seconds").asLong(300)),
                Duration.ofSeconds(
                    node.path("default_expiry_seconds").asLong(DEFAULT_EXPIRY.toSeconds())),
                node.path("retry_safe").asBoolean(false));
        catalog.types.put(type.name(), new Entry(type, schemas.getSchema(type.paramsSchema())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return catalog;
  }

  public Optional<CommandType> find(String name) {
    return Optional.ofNullable(types.get(name)).map(Entry::type);
  }

  public Collection<CommandType> all() {
    return types.values().stream().map(Entry::type).toList();
  }

  /**
   * Returns the type, or refuses an unknown name.
   *
   * @throws InvalidInputException naming {@code field} when no such type exists
   */
  public CommandType require(String name, String field) {
    return find(name)
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "unknown command type '" + name + "'; known types: " + types.keySet(), field));
  }

  /**
   * Checks {@code params} against the type's schema.
   *
   * @throws InvalidInputException naming the first offending parameter, e.g. {@code params.branch}
   */
  public void validateParams(CommandType type, JsonNode params) {
    Set<ValidationMessage> problems = types.get(type.name()).schema().validate(params);
    problems.stream()
        .min(Comparator.comparing(ValidationMessage::getMessage))
        .ifPresent(
            problem -> {
              throw new InvalidInputException(
                  "invalid parameters for " + type.name() + ": " + problem.getMessage(),
                  fieldOf(problem));
            });
  }

  private static String fieldOf(ValidationMessage problem) {
    StringBuilder field = new StringBuilder("params");
    var location = problem.getInstanceLocation();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      field.append(element instanceof Integer index ? "[" + index + "]" : "." + element);
    }
    if (problem.getProperty() != null) {
      field.append('.').append(problem.getProperty());
    }
    return field.toString();
  }
}
