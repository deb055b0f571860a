package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.protocol.ProtocolJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The findings of a SARIF 2.1.0 log, as much of it as a summary needs. A result's level is its own,
 * else its rule's default, else SARIF's default {@code warning}; results whose {@code kind} is not
 * {@code fail} (passes, informational notes) are not findings.
 */
record SarifReport(String tool, String version, List<Finding> findings) {

  private static final int MESSAGE_LIMIT = 300;

  /** One finding: its rule, severity, {@code file:line} and message. */
  record Finding(String ruleId, Severity severity, String location, String message) {}

  /**
   * Parses a SARIF log.
   *
   * @throws IOException when it is not JSON or not SARIF
   */
  static SarifReport parse(byte[] sarif) throws IOException {
    JsonNode log = ProtocolJson.mapper().readTree(sarif);
    if (log == null || !log.path("runs").isArray()) {
      throw new IOException("not a SARIF log: no runs array");
    }
    String tool = null;
    String version = null;
    List<Finding> findings = new ArrayList<>();
    for (JsonNode run : log.path("runs")) {
      JsonNode driver = run.path("tool").path("driver");
      if (tool == null && driver.hasNonNull("name")) {
        tool = driver.path("name").asText();
        version =
            driver.hasNonNull("version")
                ? driver.path("version").asText()
                : driver.path("semanticVersion").asText(null);
      }
      RuleDefaults defaults = RuleDefaults.of(driver.path("rules"));
      for (JsonNode result : run.path("results")) {
        String kind = result.path("kind").asText("fail");
        if (!kind.equals("fail")) {
          continue;
        }
        String ruleId = result.path("ruleId").asText(result.path("rule").path("id").asText(""));
        Severity severity =
            Severity.parse(result.path("level").asText(null))
                .orElseGet(() -> defaults.level(result, ruleId));
        findings.add(new Finding(ruleId, severity, location(result), message(result)));
      }
    }
    return new SarifReport(tool, version, List.copyOf(findings));
  }

  private static String location(JsonNode result) {
    JsonNode physical = result.path("locations").path(0).path("physicalLocation");
    String uri = physical.path("artifactLocation").path("uri").asText("");
    int line = physical.path("region").path("startLine").asInt(0);
    return line > 0 ? uri + ":" + line : uri;
  }

  private static String message(JsonNode result) {
    String text = result.path("message").path("text").asText("");
    return text.length() > MESSAGE_LIMIT ? text.substring(0, MESSAGE_LIMIT) + "…" : text;
  }

  /** Rules' {@code defaultConfiguration.level}, by index and by id. */
  private record RuleDefaults(List<Severity> byIndex, Map<String, Severity> byId) {

    static RuleDefaults of(JsonNode rules) {
      List<Severity> byIndex = new ArrayList<>();
      Map<String, Severity> byId = new HashMap<>();
      for (JsonNode rule : rules) {
        Severity level =
            Severity.parse(rule.path("defaultConfiguration").path("level").asText(null))
                .orElse(Severity.WARNING);
        byIndex.add(level);
        if (rule.hasNonNull("id")) {
          byId.put(rule.path("id").asText(), level);
        }
      }
      return new RuleDefaults(byIndex, byId);
    }

    Severity level(JsonNode result, String ruleId) {
      int index = result.path("ruleIndex").asInt(-1);
      if (index >= 0 && index < byIndex.size()) {
        return byIndex.get(index);
      }
      return byId.getOrDefault(ruleId, Severity.WARNING);
    }
  }
}
