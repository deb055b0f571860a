package dev.courier.agent.executor;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A finding's severity as SARIF levels it, lowest first. Scanners' own words are accepted for
 * {@code config.severity_threshold}: semgrep's {@code info}, trivy's {@code low} to {@code
 * critical}.
 */
enum Severity {
  NONE,
  NOTE,
  WARNING,
  ERROR;

  private static final Map<String, Severity> ALIASES =
      Map.of(
          "info", NOTE,
          "low", NOTE,
          "medium", WARNING,
          "high", ERROR,
          "critical", ERROR);

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<Severity> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String key = text.trim().toLowerCase(Locale.ROOT);
    for (Severity severity : values()) {
      if (severity.wireName().equals(key)) {
        return Optional.of(severity);
      }
    }
    return Optional.ofNullable(ALIASES.get(key));
  }
}
