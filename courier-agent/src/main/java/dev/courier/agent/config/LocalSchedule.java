package dev.courier.agent.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of the config file's {@code schedules}: run {@code type} with {@code params} whenever
 * the five-field Unix cron expression matches, in {@code timezone} (default UTC).
 *
 * <pre>
 * schedules:
 *   - name: nightly-scan
 *     cron: "0 2 * * *"
 *     type: scan
 *     params: {scanner: semgrep, target: /opt/code/app}
 *     timeout_seconds: 1800
 * </pre>
 */
public record LocalSchedule(
    String name,
    String cron,
    ZoneId zone,
    String type,
    ObjectNode params,
    Duration timeout,
    ExecutionTime executionTime) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Set<String> KEYS =
      Set.of("name", "cron", "timezone", "type", "params", "timeout_seconds");

  /** The first time after {@code after} this schedule fires. */
  public Optional<ZonedDateTime> nextAfter(ZonedDateTime after) {
    return executionTime.nextExecution(after.withZoneSameInstant(zone));
  }

  static List<LocalSchedule> parseAll(String where, JsonNode value) throws ConfigException {
    if (!value.isArray()) {
      throw new ConfigException(where + " must be a list of schedules");
    }
    List<LocalSchedule> schedules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int index = 0;
    for (JsonNode entry : value) {
      LocalSchedule schedule = parse(where + "[" + index++ + "]", entry);
      if (!names.add(schedule.name())) {
        throw new ConfigException(where + ": two schedules are named '" + schedule.name() + "'");
      }
      schedules.add(schedule);
    }
    return schedules;
  }

  private static LocalSchedule parse(String where, JsonNode entry) throws ConfigException {
    if (!entry.isObject()) {
      throw new ConfigException(where + " must be a mapping");
    }
    for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new ConfigException(where + ": unknown key '" + key + "' (known: " + KEYS + ")");
      }
    }
    String name = text(where, entry, "name");
    if (!NAME.matcher(name).matches()) {
      throw new ConfigException(
          where + ".name must be lowercase letters, digits, '-' or '_' (at most 64), was " + name);
    }
    String at = where + " (" + name + ")";
    String expression = text(at, entry, "cron");
    Cron cron;
    try {
      cron = PARSER.parse(expression).validate();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          at + ".cron '" + expression + "' is not a five-field cron expression: " + e.getMessage());
    }
    ZoneId zone = ZoneId.of("UTC");
    if (entry.hasNonNull("timezone")) {
      try {
        zone = ZoneId.of(entry.get("timezone").asText());
      } catch (DateTimeException e) {
        throw new ConfigException(at + ".timezone is not a time zone: " + entry.get("timezone"));
      }
    }
    String type = text(at, entry, "type");
    JsonNode params = entry.get("params");
    if (params != null && !params.isNull() && !params.isObject()) {
      throw new ConfigException(at + ".params must be a mapping");
    }
    long timeout = 600;
    if (entry.hasNonNull("timeout_seconds")) {
      JsonNode value = entry.get("timeout_seconds");
      if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > 86_400) {
        throw new ConfigException(at + ".timeout_seconds must be between 1 and 86400");
      }
      timeout = value.asLong();
    }
    return new LocalSchedule(
        name,
        expression,
        zone,
        type,
        params == null || params.isNull()
            ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
            : (ObjectNode) params.deepCopy(),
        Duration.ofSeconds(timeout),
        ExecutionTime.forCron(cron));
  }

  private static String text(String where, JsonNode entry, String key) throws ConfigException {
    JsonNode value = entry.get(key);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new ConfigException(where + "." + key + " is required (a string)");
    }
    return value.asText().trim();
  }
}
