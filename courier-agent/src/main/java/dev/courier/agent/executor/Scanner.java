package dev.courier.agent.executor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The scanners {@code scan} may run, each with its one argument template. Every template writes a
 * SARIF 2.1.0 report to a file the agent chose, takes the target as an absolute path and passes
 * operator values as {@code --option=value}, so no value can be read as another option.
 */
enum Scanner {
  /** {@code semgrep scan}: rules from {@code config.rules} (default {@code p/default}). */
  SEMGREP(true, true),
  /** {@code trivy fs}: vulnerabilities, secrets and misconfigurations in a directory. */
  TRIVY(false, true),
  /** {@code gitleaks detect --no-git}: secrets in the files (not the history), redacted. */
  GITLEAKS(false, false);

  static final String DEFAULT_SEMGREP_RULES = "p/default";

  private final boolean takesRules;
  private final boolean takesExcludes;

  Scanner(boolean takesRules, boolean takesExcludes) {
    this.takesRules = takesRules;
    this.takesExcludes = takesExcludes;
  }

  /** The name in {@code params.scanner}, which is also the program's name. */
  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<Scanner> fromWire(String name) {
    for (Scanner scanner : values()) {
      if (scanner.wireName().equals(name)) {
        return Optional.of(scanner);
      }
    }
    return Optional.empty();
  }

  boolean takesRules() {
    return takesRules;
  }

  boolean takesExcludes() {
    return takesExcludes;
  }

  /** The argument list: program, fixed flags, the operator's rules and excludes, the target. */
  List<String> argv(
      Path program, Path target, Path report, List<String> rules, List<String> excludes) {
    List<String> argv = new ArrayList<>();
    argv.add(program.toString());
    switch (this) {
      case SEMGREP -> {
        argv.addAll(
            List.of(
                "scan",
                "--sarif",
                "--output=" + report,
                "--metrics=off",
                "--disable-version-check",
                "--quiet"));
        for (String rule : rules.isEmpty() ? List.of(DEFAULT_SEMGREP_RULES) : rules) {
          argv.add("--config=" + rule);
        }
        excludes.forEach(glob -> argv.add("--exclude=" + glob));
      }
      case TRIVY -> {
        argv.addAll(List.of("fs", "--format=sarif", "--output=" + report, "--quiet"));
        for (String glob : excludes) {
          argv.add("--skip-dirs=" + glob);
          argv.add("--skip-files=" + glob);
        }
      }
      case GITLEAKS ->
          argv.addAll(
              List.of(
                  "detect",
                  "--no-git",
                  "--no-banner",
                  "--redact",
                  "--exit-code=0",
                  "--report-format=sarif",
                  "--report-path=" + report,
                  "--source=" + target));
    }
    if (this != GITLEAKS) {
      argv.add(target.toString());
    }
    return argv;
  }
}
