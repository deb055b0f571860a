package dev.courier.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.protocol.CommandStatus;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs stand-in scanners (scripts on a private search path that write a real SARIF 2.1.0 report
 * where the template tells them to and record their arguments), and the real semgrep or gitleaks
 * when the machine has them.
 */
class ScanExecutorTest {

  @TempDir Path temp;
  private Path root;
  private Path project;
  private Path bin;
  private Path work;
  private Path recorded;

  @BeforeEach
  void layout() throws Exception {
    root = Files.createDirectories(temp.resolve("code"));
    project = Files.createDirectories(root.resolve("project"));
    Files.writeString(project.resolve("app.py"), "x = eval(input())\n");
    bin = temp.resolve("bin");
    work = temp.resolve("state/work");
    recorded = temp.resolve("scanner-args.txt");
    Path report = temp.resolve("fixture.sarif");
    try (InputStream in = getClass().getResourceAsStream("semgrep-findings.sarif")) {
      Files.write(report, in.readAllBytes());
    }
    for (String name : List.of("semgrep", "trivy", "gitleaks")) {
      fakeScanner(name, "cat '" + report + "' > \"$out\"\n");
    }
  }

  /** A stand-in scanner: records its arguments, finds the report path it was given, runs body. */
  private void fakeScanner(String name, String body) throws Exception {
    Programs.script(
        bin.resolve(name),
        "printf '%s\\n' \"$@\" > '"
            + recorded
            + "'\n"
            + "for a in \"$@\"; do\n"
            + "  case \"$a\" in\n"
            + "    --output=*) out=\"${a#--output=}\" ;;\n"
            + "    --report-path=*) out=\"${a#--report-path=}\" ;;\n"
            + "  esac\n"
            + "done\n"
            + body);
  }

  private ScanExecutor executor(Executables scanners) {
    return new ScanExecutor(AllowedRoots.of("--scan-roots", List.of(root)), scanners, work);
  }

  private CommandOutcome scan(String paramsJson) throws Exception {
    return executor(Executables.in(List.of(bin)))
        .execute(FakeContext.of("scan", paramsJson).withProcesses());
  }

  @Test
  void semgrep_findings_are_counted_and_summarised_by_severity_and_rule() throws Exception {
    CommandOutcome outcome = scan("{\"scanner\":\"semgrep\",\"target\":\"" + project + "\"}");

    assertThat(outcome.status()).as(outcome.toString()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(outcome.findingsCount()).isEqualTo(4);
    JsonNode metadata = outcome.metadata();
    assertThat(metadata.path("findings_count").asInt()).isEqualTo(4);
    assertThat(metadata.path("scanner").asText()).isEqualTo("semgrep");
    assertThat(metadata.path("scanner_version").asText()).isEqualTo("1.50.0");
    assertThat(metadata.path("target").asText()).isEqualTo(project.toRealPath().toString());
    assertThat(metadata.path("by_severity").path("error").asInt()).isEqualTo(1);
    assertThat(metadata.path("by_severity").path("warning").asInt()).isEqualTo(2);
    assertThat(metadata.path("by_severity").path("note").asInt()).isEqualTo(1);
    assertThat(metadata.path("rules_count").asInt()).isEqualTo(3);
    JsonNode topRule = metadata.path("by_rule").get(0);
    assertThat(topRule.path("rule_id").asText())
        .isEqualTo("python.lang.security.audit.eval-detected.eval-detected");
    assertThat(topRule.path("count").asInt()).isEqualTo(2);
    JsonNode first = metadata.path("top_findings").get(0);
    assertThat(first.path("severity").asText()).as("most severe first").isEqualTo("error");
    assertThat(first.path("rule_id").asText())
        .isEqualTo("python.lang.security.audit.hardcoded-password");
    assertThat(first.path("location").asText()).isEqualTo("settings.py:12");
    assertThat(outcome.output()).endsWith("4 findings (1 error, 2 warning, 1 note)");
  }

  @Test
  void semgrep_runs_its_fixed_template_with_the_rules_and_excludes_asked_for() throws Exception {
    scan(
        "{\"scanner\":\"semgrep\",\"target\":\""
            + project
            + "\",\"config\":{\"rules\":[\"p/security-audit\",\"p/owasp-top-ten\"],"
            + "\"exclude\":[\"**/vendor/**\"]}}");

    List<String> args = Files.readAllLines(recorded);
    assertThat(args.subList(0, 2)).containsExactly("scan", "--sarif");
    assertThat(args)
        .contains(
            "--metrics=off",
            "--config=p/security-audit",
            "--config=p/owasp-top-ten",
            "--exclude=**/vendor/**")
        .anyMatch(a -> a.startsWith("--output=" + work));
    assertThat(args.getLast()).isEqualTo(project.toRealPath().toString());
  }

  @Test
  void without_rules_semgrep_gets_its_default_rule_set() throws Exception {
    scan("{\"scanner\":\"semgrep\",\"target\":\"" + project + "\"}");

    assertThat(Files.readAllLines(recorded)).contains("--config=p/default");
  }

  @Test
  void the_severity_threshold_leaves_lower_findings_out_of_the_count() throws Exception {
    CommandOutcome outcome =
        scan(
            "{\"scanner\":\"semgrep\",\"target\":\""
                + project
                + "\",\"config\":{\"severity_threshold\":\"warning\"}}");

    assertThat(outcome.findingsCount()).isEqualTo(3);
    assertThat(outcome.metadata().path("below_threshold").asInt()).isEqualTo(1);
    assertThat(outcome.metadata().path("severity_threshold").asText()).isEqualTo("warning");
    assertThat(outcome.output()).endsWith("3 findings (1 error, 2 warning); 1 below warning");
  }

  @Test
  void trivy_and_gitleaks_run_their_own_templates() throws Exception {
    CommandOutcome trivy =
        scan(
            "{\"scanner\":\"trivy\",\"target\":\""
                + project
                + "\",\"config\":{\"exclude\":[\"node_modules\"]}}");
    List<String> trivyArgs = Files.readAllLines(recorded);
    CommandOutcome gitleaks = scan("{\"scanner\":\"gitleaks\",\"target\":\"" + project + "\"}");
    List<String> gitleaksArgs = Files.readAllLines(recorded);

    assertThat(trivy.status()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(trivyArgs.getFirst()).isEqualTo("fs");
    assertThat(trivyArgs)
        .contains("--format=sarif", "--skip-dirs=node_modules", "--skip-files=node_modules");
    assertThat(trivyArgs.getLast()).isEqualTo(project.toRealPath().toString());
    assertThat(gitleaks.status()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(gitleaks.findingsCount()).isEqualTo(4);
    assertThat(gitleaksArgs)
        .startsWith("detect", "--no-git")
        .contains("--redact", "--report-format=sarif", "--source=" + project.toRealPath())
        .anyMatch(a -> a.startsWith("--report-path=" + work));
  }

  @Test
  void the_report_is_deleted_once_read() throws Exception {
    scan("{\"scanner\":\"semgrep\",\"target\":\"" + project + "\"}");

    try (var left = Files.list(work)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void a_scanner_that_is_not_installed_fails_naming_it() throws Exception {
    Files.delete(bin.resolve("trivy"));

    CommandOutcome outcome = scan("{\"scanner\":\"trivy\",\"target\":\"" + project + "\"}");

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).startsWith("scanner trivy is not installed");
  }

  @Test
  void only_the_three_known_scanners_run() throws Exception {
    Programs.script(bin.resolve("rm"), "exit 0\n");

    CommandOutcome outcome = scan("{\"scanner\":\"rm\",\"target\":\"" + project + "\"}");

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error())
        .isEqualTo("params.scanner must be one of semgrep, trivy, gitleaks, was 'rm'");
    assertThat(recorded).doesNotExist();
  }

  @Test
  void targets_outside_the_roots_through_dot_dot_or_a_symbolic_link_are_refused() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Path link = Files.createSymbolicLink(root.resolve("link"), outside);

    for (String target : List.of(outside.toString(), root + "/../outside", link.toString())) {
      CommandOutcome outcome = scan("{\"scanner\":\"semgrep\",\"target\":\"" + target + "\"}");

      assertThat(outcome.status()).as(target).isEqualTo(CommandStatus.FAILED);
      assertThat(outcome.error()).as(target).startsWith("params.target ");
    }
    assertThat(recorded).doesNotExist();
  }

  @Test
  void rule_files_must_lie_under_the_roots_and_urls_are_refused() throws Exception {
    Path rules = Files.writeString(root.resolve("rules.yml"), "rules: []\n");

    CommandOutcome local =
        scan(
            "{\"scanner\":\"semgrep\",\"target\":\""
                + project
                + "\",\"config\":{\"rules\":[\""
                + rules
                + "\"]}}");
    CommandOutcome remote =
        scan(
            "{\"scanner\":\"semgrep\",\"target\":\""
                + project
                + "\",\"config\":{\"rules\":[\"https://evil.example/rules.yml\"]}}");
    CommandOutcome elsewhere =
        scan(
            "{\"scanner\":\"semgrep\",\"target\":\""
                + project
                + "\",\"config\":{\"rules\":[\"/etc/passwd\"]}}");

    assertThat(local.status()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(remote.error()).startsWith("params.config.rules must hold registry rule sets");
    assertThat(elsewhere.error()).startsWith("params.config.rules is refused");
  }

  @Test
  void options_a_scanner_does_not_have_are_refused_rather_than_ignored() throws Exception {
    CommandOutcome outcome =
        scan(
            "{\"scanner\":\"gitleaks\",\"target\":\""
                + project
                + "\",\"config\":{\"rules\":[\"p/default\"]}}");

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).isEqualTo("params.config.rules is not supported by gitleaks");
  }

  @Test
  void a_scanner_that_exits_with_an_error_fails_with_its_complaint() throws Exception {
    fakeScanner("semgrep", "echo 'invalid configuration file' >&2\nexit 7\n");

    CommandOutcome outcome = scan("{\"scanner\":\"semgrep\",\"target\":\"" + project + "\"}");

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.exitCode()).isEqualTo(7);
    assertThat(outcome.error()).isEqualTo("semgrep failed (exit 7): invalid configuration file");
  }

  @Test
  void a_report_that_is_not_sarif_fails_the_scan() throws Exception {
    fakeScanner("semgrep", "echo '{\"results\": []}' > \"$out\"\n");

    CommandOutcome outcome = scan("{\"scanner\":\"semgrep\",\"target\":\"" + project + "\"}");

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).startsWith("semgrep wrote a report that is not SARIF");
  }

  @Test
  void an_empty_allowlist_refuses_every_target() throws Exception {
    ScanExecutor none =
        new ScanExecutor(AllowedRoots.none("--scan-roots"), Executables.in(List.of(bin)), work);

    CommandOutcome outcome =
        none.execute(
            FakeContext.of("scan", "{\"scanner\":\"semgrep\",\"target\":\"" + project + "\"}"));

    assertThat(outcome.error()).contains("--scan-roots");
  }

  @Test
  void an_installed_semgrep_finds_what_a_local_rule_describes() throws Exception {
    Optional<Path> semgrep = Executables.fromEnvironment().find("semgrep");
    assumeTrue(semgrep.isPresent(), "semgrep is not installed");
    Path rules =
        Files.writeString(
            root.resolve("eval.yml"),
            "rules:\n"
                + "  - id: no-eval\n"
                + "    pattern: eval(...)\n"
                + "    message: eval is dangerous\n"
                + "    languages: [python]\n"
                + "    severity: ERROR\n");

    CommandOutcome outcome =
        executor(Executables.fromEnvironment())
            .execute(
                FakeContext.of(
                        "scan",
                        "{\"scanner\":\"semgrep\",\"target\":\""
                            + project
                            + "\",\"config\":{\"rules\":[\""
                            + rules
                            + "\"]}}")
                    .withProcesses());

    assertThat(outcome.status()).as(outcome.toString()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(outcome.findingsCount()).isEqualTo(1);
  }

  @Test
  void an_installed_gitleaks_scans_and_reports_sarif() throws Exception {
    Optional<Path> gitleaks = Executables.fromEnvironment().find("gitleaks");
    assumeTrue(gitleaks.isPresent(), "gitleaks is not installed");

    CommandOutcome outcome =
        executor(Executables.fromEnvironment())
            .execute(
                FakeContext.of("scan", "{\"scanner\":\"gitleaks\",\"target\":\"" + project + "\"}")
                    .withProcesses());

    assertThat(outcome.status()).as(outcome.toString()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(outcome.metadata().path("scanner").asText()).isEqualTo("gitleaks");
  }
}
