package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.agent.sdk.ProcessResult;
import dev.courier.protocol.CommandStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code scan} (seed 004): runs semgrep, trivy or gitleaks, whichever is installed, on a target
 * under the {@code --scan-roots}, and reports its SARIF findings: {@code findings_count} (those at
 * or above {@code config.severity_threshold}) and a summary by severity and rule with the most
 * severe findings first.
 *
 * <p>Only those three scanners run, each with its fixed argument template ({@link Scanner}). Its
 * report goes to a private file under the agent's state directory, read back at most {@value
 * #REPORT_CAP_BYTES} bytes and deleted. The scanner runs for {@code timeout_seconds} when given,
 * never past the command's deadline (1800 s by default in the server's catalog); its console output
 * is capped at the agent's output cap. A scanner that is not installed fails the command with a
 * message naming it.
 */
public final class ScanExecutor implements CommandExecutor {

  public static final String TYPE = "scan";
  static final int REPORT_CAP_BYTES = 64 * 1024 * 1024;
  private static final Pattern REGISTRY_RULES =
      Pattern.compile("[prs]/[A-Za-z0-9._-][A-Za-z0-9._/-]*");

  private final AllowedRoots roots;
  private final Executables scanners;
  private final Path workDir;

  /**
   * @param workDir where reports are written while a scan runs (created on first use)
   */
  public ScanExecutor(AllowedRoots roots, Executables scanners, Path workDir) {
    this.roots = roots;
    this.scanners = scanners;
    this.workDir = workDir;
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** What the command asked for, checked. */
  private record Request(
      Scanner scanner,
      Path target,
      List<String> rules,
      List<String> excludes,
      Severity threshold,
      Duration limit) {}

  @Override
  public CommandOutcome execute(CommandContext context) throws InterruptedException {
    Request request;
    try {
      request = request(context);
    } catch (InvalidParamException e) {
      return CommandOutcome.failed(e.getMessage());
    }
    String name = request.scanner().wireName();
    Optional<Path> program = scanners.find(name);
    if (program.isEmpty()) {
      return CommandOutcome.failed(
          "scanner "
              + name
              + " is not installed: no executable '"
              + name
              + "' in "
              + scanners
              + " (install it, or point --scanner-path at it)");
    }
    Path reportDir = null;
    try {
      Files.createDirectories(workDir);
      reportDir = Files.createTempDirectory(workDir, "scan-");
      return scan(context, request, program.get(), reportDir.resolve("report.sarif"));
    } catch (IOException e) {
      return CommandOutcome.failed("cannot run " + name + ": " + e.getMessage());
    } finally {
      deleteQuietly(reportDir);
    }
  }

  private Request request(CommandContext context) throws InvalidParamException {
    Params params = Params.of(context.params());
    String scannerName = params.requiredString("scanner");
    Scanner scanner =
        Scanner.fromWire(scannerName)
            .orElseThrow(
                () ->
                    new InvalidParamException(
                        "scanner",
                        "must be one of semgrep, trivy, gitleaks, was '" + scannerName + "'"));
    Path target = roots.resolve("target", params.requiredString("target")).path();
    Params config = params.object("config");
    List<String> rules = config.stringList("rules").orElse(List.of());
    List<String> excludes = config.stringList("exclude").orElse(List.of());
    if (!rules.isEmpty() && !scanner.takesRules()) {
      throw new InvalidParamException(config.name("rules"), "is not supported by " + scannerName);
    }
    if (!excludes.isEmpty() && !scanner.takesExcludes()) {
      throw new InvalidParamException(config.name("exclude"), "is not supported by " + scannerName);
    }
    List<String> checkedRules = new ArrayList<>();
    for (String rule : rules) {
      checkedRules.add(rule(config.name("rules"), rule));
    }
    for (String glob : excludes) {
      if (glob.isBlank() || glob.length() > 512 || glob.indexOf('\0') >= 0) {
        throw new InvalidParamException(config.name("exclude"), "has an empty or overlong pattern");
      }
    }
    String thresholdText = config.optionalString("severity_threshold", "none");
    Severity threshold =
        Severity.parse(thresholdText)
            .orElseThrow(
                () ->
                    new InvalidParamException(
                        config.name("severity_threshold"),
                        "must be one of error, warning, note, none, was '" + thresholdText + "'"));
    Duration limit = context.timeout();
    if (params.has("timeout_seconds")) {
      limit = Duration.ofSeconds(params.boundedInt("timeout_seconds", 0, 1, 86_400));
    }
    return new Request(scanner, target, checkedRules, excludes, threshold, limit);
  }

  /** A registry rule set ({@code p/…}, {@code r/…}, {@code s/…}) or a rule file under a root. */
  private String rule(String field, String rule) throws InvalidParamException {
    if (REGISTRY_RULES.matcher(rule).matches() && !rule.contains("..")) {
      return rule;
    }
    if (rule.startsWith("/")) {
      return roots.resolve(field, rule).path().toString();
    }
    throw new InvalidParamException(
        field,
        "must hold registry rule sets (p/…, r/…, s/…) or absolute paths, was '" + rule + "'");
  }

  private CommandOutcome scan(CommandContext context, Request request, Path program, Path report)
      throws IOException, InterruptedException {
    String name = request.scanner().wireName();
    List<String> argv =
        request
            .scanner()
            .argv(program, request.target(), report, request.rules(), request.excludes());
    Path directory = Files.isDirectory(request.target()) ? request.target() : null;
    ProcessResult result = Processes.run(context, argv, directory, request.limit());
    Optional<CommandOutcome> stopped = Processes.stopped(result, name);
    if (stopped.isPresent()) {
      return stopped.get();
    }
    if (!result.succeeded()) {
      return CommandOutcome.failed(
          result.exitCode(),
          Processes.combined(result),
          name + " failed (exit " + result.exitCode() + ")" + Processes.because(result));
    }
    if (!Files.isRegularFile(report)) {
      return CommandOutcome.failed(
          result.exitCode(), Processes.combined(result), name + " wrote no report");
    }
    if (Files.size(report) > REPORT_CAP_BYTES) {
      return CommandOutcome.failed(
          result.exitCode(),
          Processes.combined(result),
          name + "'s report is larger than " + REPORT_CAP_BYTES + " bytes; narrow the scan");
    }
    SarifReport sarif;
    try {
      sarif = SarifReport.parse(Files.readAllBytes(report));
    } catch (IOException e) {
      return CommandOutcome.failed(
          result.exitCode(),
          Processes.combined(result),
          name + " wrote a report that is not SARIF: " + e.getMessage());
    }
    FindingsSummary summary = new FindingsSummary(sarif, request.threshold());
    ObjectNode metadata = Json.object();
    metadata.put("scanner", name);
    Json.putText(metadata, "scanner_version", sarif.version());
    metadata.put("target", request.target().toString());
    summary.writeTo(metadata);
    String output = name + " on " + request.target() + ": " + summary.headline();
    return new CommandOutcome(
        CommandStatus.COMPLETED, result.exitCode(), output, null, summary.count(), metadata);
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // a leftover report in the work directory is harmless; the next scan uses a new one
    }
  }
}
