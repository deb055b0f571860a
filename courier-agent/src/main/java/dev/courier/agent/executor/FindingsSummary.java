package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a report's findings into the result a person reads: how many at or above the threshold,
 * counts by severity, the rules that fired most, and the most severe findings first.
 */
final class FindingsSummary {

  static final int TOP_RULES = 10;
  static final int TOP_FINDINGS = 20;

  private final List<SarifReport.Finding> counted;
  private final List<SarifReport.Finding> all;
  private final Severity threshold;

  FindingsSummary(SarifReport report, Severity threshold) {
    this.all = report.findings();
    this.threshold = threshold;
    this.counted = all.stream().filter(f -> f.severity().compareTo(threshold) >= 0).toList();
  }

  /** Findings at or above the threshold: the command's {@code findings_count}. */
  int count() {
    return counted.size();
  }

  /** The summary as result metadata fields. */
  void writeTo(ObjectNode metadata) {
    metadata.put("findings_count", counted.size());
    metadata.put("severity_threshold", threshold.wireName());
    metadata.put("below_threshold", all.size() - counted.size());
    ObjectNode bySeverity = metadata.putObject("by_severity");
    for (int i = Severity.values().length - 1; i >= 0; i--) {
      Severity severity = Severity.values()[i];
      bySeverity.put(
          severity.wireName(), all.stream().filter(f -> f.severity() == severity).count());
    }
    Map<String, Rule> rules = new LinkedHashMap<>();
    for (SarifReport.Finding finding : counted) {
      rules
          .computeIfAbsent(finding.ruleId(), id -> new Rule(id, finding.severity()))
          .add(finding.severity());
    }
    metadata.put("rules_count", rules.size());
    ArrayNode byRule = metadata.putArray("by_rule");
    rules.values().stream()
        .sorted(
            Comparator.comparingInt(Rule::count)
                .reversed()
                .thenComparing(Rule::severity, Comparator.reverseOrder())
                .thenComparing(Rule::id))
        .limit(TOP_RULES)
        .forEach(
            rule -> {
              ObjectNode node = byRule.addObject();
              node.put("rule_id", rule.id());
              node.put("severity", rule.severity().wireName());
              node.put("count", rule.count());
            });
    ArrayNode top = metadata.putArray("top_findings");
    counted.stream()
        .sorted(Comparator.comparing(SarifReport.Finding::severity).reversed())
        .limit(TOP_FINDINGS)
        .forEach(
            finding -> {
              ObjectNode node = top.addObject();
              node.put("rule_id", finding.ruleId());
              node.put("severity", finding.severity().wireName());
              node.put("location", finding.location());
              node.put("message", finding.message());
            });
  }

  /**
   * One line per severity for the result's output, e.g. {@code 3 findings (1 error, 2 warning)}.
   */
  String headline() {
    StringBuilder text = new StringBuilder();
    text.append(counted.size()).append(counted.size() == 1 ? " finding" : " findings");
    StringBuilder parts = new StringBuilder();
    for (int i = Severity.values().length - 1; i >= 0; i--) {
      Severity severity = Severity.values()[i];
      long n = counted.stream().filter(f -> f.severity() == severity).count();
      if (n > 0) {
        parts.append(parts.isEmpty() ? "" : ", ").append(n).append(' ').append(severity.wireName());
      }
    }
    if (!parts.isEmpty()) {
      text.append(" (").append(parts).append(')');
    }
    if (counted.size() < all.size()) {
      text.append("; ")
          .append(all.size() - counted.size())
          .append(" below ")
          .append(threshold.wireName());
    }
    return text.toString();
  }

  /** A rule's count; its severity is the highest of its findings. */
  private static final class Rule {
    private final String id;
    private Severity severity;
    private int count;

    Rule(String id, Severity severity) {
      this.id = id;
      this.severity = severity;
    }

    void add(Severity found) {
      count++;
      if (found.compareTo(severity) > 0) {
        severity = found;
      }
    }

    String id() {
      return id;
    }

    Severity severity() {
      return severity;
    }

    int count() {
      return count;
    }
  }
}
