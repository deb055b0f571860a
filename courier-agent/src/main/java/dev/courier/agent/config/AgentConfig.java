package dev.courier.agent.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.courier.agent.terminal.TerminalSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's YAML config file ({@code --config FILE}): the same settings as the flags, under
 * snake_case keys, plus the local schedules. Every key is checked when the file is read, and a
 * problem names the file and the key. Precedence, highest first: flag, environment variable ({@code
 * COURIER_AGENT_<KEY>}), this file, default.
 */
public final class AgentConfig {

  /** Built on first use: an agent without a config file never loads the YAML classes. */
  private static final class Yaml {
    static final ObjectMapper MAPPER =
        new ObjectMapper(
            YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build());
  }

  /** Keys whose values are text. */
  static final Set<String> STRINGS =
      Set.of(
          "server", "enroll_token", "state_dir", "hostname", "transport", "mode", "docker_binary");

  /** Keys whose values are whole numbers, with their ranges. */
  static final Map<String, long[]> NUMBERS =
      Map.of(
          "max_concurrent", new long[] {1, 256},
          "heartbeat_seconds", new long[] {1, 3600},
          "shutdown_grace_seconds", new long[] {0, 3600},
          "outbox_quota_mb", new long[] {1, 1024 * 1024},
          "upgrade_deadline_seconds", new long[] {10, 3600});

  /** Keys whose values are lists of text (a comma-separated string works too). */
  static final Set<String> LISTS =
      Set.of(
          "git_roots",
          "docker_containers",
          "scan_roots",
          "scanner_path",
          "collect_roots",
          "upgrade_origins");

  /** Lists of absolute paths. */
  static final Set<String> PATH_LISTS =
      Set.of("git_roots", "scan_roots", "scanner_path", "collect_roots");

  private final Path file;
  private final ObjectNode tree;
  private final List<LocalSchedule> schedules;
  private final TerminalSettings terminal;

  private AgentConfig(
      Path file, ObjectNode tree, List<LocalSchedule> schedules, TerminalSettings terminal) {
    this.file = file;
    this.tree = tree;
    this.schedules = List.copyOf(schedules);
    this.terminal = terminal;
  }

  /** No file: every value comes from flags, environment or defaults. */
  public static AgentConfig empty() {
    return new AgentConfig(
        null, JsonNodeFactory.instance.objectNode(), List.of(), TerminalSettings.disabled());
  }

  /**
   * Reads and validates {@code file}.
   *
   * @throws ConfigException naming the file and the first bad key
   */
  public static AgentConfig load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such config file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    return parse(file, text);
  }

  /** Validates {@code text} as the content of {@code file}. */
  public static AgentConfig parse(Path file, String text) throws ConfigException {
    JsonNode root;
    try {
      root = text.isBlank() ? Yaml.MAPPER.createObjectNode() : Yaml.MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = Yaml.MAPPER.createObjectNode();
    }
    if (!root.isObject()) {
      throw new ConfigException(file + ": must be a mapping of keys to values");
    }
    return validate(file, (ObjectNode) root);
  }

  /** Validates a tree (a file's content, or one a config_update produced). */
  public static AgentConfig validate(Path file, ObjectNode tree) throws ConfigException {
    List<LocalSchedule> schedules = List.of();
    TerminalSettings terminal = TerminalSettings.disabled();
    for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      String where = file + ": key '" + key + "'";
      if (value.isNull()) {
        continue;
      }
      if (STRINGS.contains(key)) {
        if (!value.isTextual() || value.asText().isBlank()) {
          throw new ConfigException(where + " must be a non-empty string");
        }
        checkString(where, key, value.asText());
      } else if (NUMBERS.containsKey(key)) {
        long[] range = NUMBERS.get(key);
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
          throw new ConfigException(where + " must be a whole number");
        }
        if (value.asLong() < range[0] || value.asLong() > range[1]) {
          throw new ConfigException(
              where + " must be between " + range[0] + " and " + range[1] + ", was " + value);
        }
      } else if (LISTS.contains(key)) {
        List<String> items = listOf(where, value);
        for (String item : items) {
          if (PATH_LISTS.contains(key) && !Path.of(item).isAbsolute()) {
            throw new ConfigException(where + " needs absolute paths, was '" + item + "'");
          }
          if (key.equals("upgrade_origins")) {
            UpgradeOrigins.parseOrigin(item)
                .orElseThrow(
                    () ->
                        new ConfigException(
                            where + ": '" + item + "' is not an http(s) origin like https://host"));
          }
        }
      } else if (key.equals("labels")) {
        if (!value.isObject()) {
          throw new ConfigException(where + " must be a mapping of label names to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> labels = value.fields(); labels.hasNext(); ) {
          Map.Entry<String, JsonNode> label = labels.next();
          if (!label.getValue().isValueNode() || label.getValue().isNull()) {
            throw new ConfigException(where + ": label '" + label.getKey() + "' needs a value");
          }
        }
      } else if (key.equals("schedules")) {
        schedules = LocalSchedule.parseAll(file + ": key 'schedules'", value);
      } else if (key.equals("terminal")) {
        terminal = terminal(where, value);
      } else {
        throw new ConfigException(
            file + ": unknown key '" + key + "' (known: " + String.join(", ", knownKeys()) + ")");
      }
    }
    return new AgentConfig(file, tree.deepCopy(), schedules, terminal);
  }

  /** The {@code terminal:} block (issue 9); every key optional, unknown keys refused. */
  private static TerminalSettings terminal(String where, JsonNode block) throws ConfigException {
    if (!block.isObject()) {
      throw new ConfigException(where + " must be a mapping (enabled, shell, ...)");
    }
    TerminalSettings defaults = TerminalSettings.disabled();
    boolean enabled = defaults.enabled();
    String shell = defaults.shell();
    java.time.Duration timeout = defaults.commandTimeout();
    long cap = defaults.outputCapBytes();
    int maxSessions = defaults.maxSessions();
    try {
      for (Iterator<Map.Entry<String, JsonNode>> it = block.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode value = field.getValue();
        String name = "terminal." + field.getKey();
        if (value.isNull()) {
          continue;
        }
        switch (field.getKey()) {
          case "enabled" -> {
            if (!value.isBoolean()) {
              throw new ConfigException(where + ": " + name + " must be true or false");
            }
            enabled = value.asBoolean();
          }
          case "shell" -> {
            if (!value.isTextual() || value.asText().isBlank()) {
              throw new ConfigException(where + ": " + name + " must be a program path");
            }
            shell = value.asText().trim();
          }
          case "command_timeout" -> timeout = TerminalSettings.parseDuration(name, value.asText());
          case "output_cap" -> cap = TerminalSettings.parseSize(name, value.asText());
          case "max_sessions" -> {
            if (!value.isIntegralNumber()) {
              throw new ConfigException(where + ": " + name + " must be a whole number");
            }
            maxSessions = value.asInt();
          }
          default ->
              throw new ConfigException(
                  where
                      + ": unknown key '"
                      + field.getKey()
                      + "' (known: command_timeout, enabled, max_sessions, output_cap, shell)");
        }
      }
      return new TerminalSettings(
          enabled, shell, timeout, (int) Math.min(Integer.MAX_VALUE, cap), maxSessions);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": " + e.getMessage());
    }
  }

  private static void checkString(String where, String key, String value) throws ConfigException {
    switch (key) {
      case "server" -> {
        URI uri;
        try {
          uri = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
          throw new ConfigException(where + " is not a URL: " + value);
        }
        String scheme = uri.getScheme();
        if (scheme == null
            || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
            || uri.getHost() == null) {
          throw new ConfigException(where + " must be an http or https URL with a host");
        }
      }
      case "transport" -> {
        if (!Set.of("websocket", "poll").contains(value.trim().toLowerCase(Locale.ROOT))) {
          throw new ConfigException(where + " must be websocket or poll, was '" + value + "'");
        }
      }
      case "mode" ->
          Mode.parse(value).orElseThrow(() -> new ConfigException(where + " " + Mode.HINT));
      default -> {}
    }
  }

  private static List<String> listOf(String where, JsonNode value) throws ConfigException {
    List<String> items = new ArrayList<>();
    if (value.isTextual()) {
      for (String part : value.asText().split(",")) {
        if (!part.isBlank()) {
          items.add(part.trim());
        }
      }
      return items;
    }
    if (!value.isArray()) {
      throw new ConfigException(where + " must be a list of strings");
    }
    for (JsonNode item : value) {
      if (!item.isTextual() || item.asText().isBlank()) {
        throw new ConfigException(where + " must be a list of non-empty strings");
      }
      items.add(item.asText().trim());
    }
    return items;
  }

  /** Every key the file may hold. */
  public static List<String> knownKeys() {
    List<String> keys = new ArrayList<>();
    keys.addAll(STRINGS);
    keys.addAll(NUMBERS.keySet());
    keys.addAll(LISTS);
    keys.add("labels");
    keys.add("schedules");
    keys.add("terminal");
    keys.sort(null);
    return keys;
  }

  /** The environment variable that overrides {@code key}. */
  public static String envName(String key) {
    return "COURIER_AGENT_" + key.toUpperCase(Locale.ROOT);
  }

  /** The file read, if any. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /**
   * {@code key}'s value as the text an environment variable would hold (lists comma-joined), if
   * set.
   */
  public Optional<String> text(String key) {
    JsonNode value = tree.get(key);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(item -> items.add(item.asText()));
      return Optional.of(String.join(",", items));
    }
    return Optional.of(value.asText().trim());
  }

  /** The labels, if the file sets any. */
  public Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode node = tree.get("labels");
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    }
    return labels;
  }

  /** The local schedules (seed 004), run in standalone and hybrid mode. */
  public List<LocalSchedule> schedules() {
    return schedules;
  }

  /** The {@code terminal:} block's settings; off by default. */
  public TerminalSettings terminal() {
    return terminal;
  }

  /** A copy of the tree, for config_update to merge into. */
  public ObjectNode tree() {
    return tree.deepCopy();
  }

  /** The tree as YAML text. */
  public static String toYaml(ObjectNode tree) {
    try {
      return Yaml.MAPPER.writeValueAsString(tree);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
