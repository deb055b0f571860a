package dev.courier.agent;

import dev.courier.agent.config.AgentConfig;
import dev.courier.agent.config.ConfigException;
import dev.courier.agent.config.Mode;
import dev.courier.agent.config.UpgradeOrigins;
import dev.courier.agent.executor.Executables;
import dev.courier.agent.executor.ExecutorSettings;
import dev.courier.agent.logging.AgentLogConfigurator;
import dev.courier.agent.sdk.AgentOptions;
import dev.courier.agent.sdk.Transport;
import dev.courier.agent.upgrade.UpgradeExecutor;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code courier-agent} command: enroll on first run, then connect and run commands until
 * SIGTERM.
 *
 * <p>Exit codes: 0 after a signal-initiated stop, 1 when something outside the command line failed
 * (enrollment refused, unreadable state), 2 for bad or missing flags or an invalid config file, 75
 * when the agent stops to be restarted (the {@code restart} and {@code upgrade} commands, or a new
 * version that could not reach the server in time).
 */
@Command(
    name = "courier-agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentVersion.Provider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Runs a Courier agent: enrolls with a token on first run, saves its identity in the state"
          + " directory, then connects to the server and runs the commands it is sent.",
    })
public final class AgentMain implements Callable<Integer> {

  static final String ENV_SERVER = "COURIER_AGENT_SERVER";
  static final String ENV_ENROLL_TOKEN = "COURIER_AGENT_ENROLL_TOKEN";
  static final String ENV_STATE_DIR = "COURIER_AGENT_STATE_DIR";
  static final String ENV_GIT_ROOTS = "COURIER_AGENT_GIT_ROOTS";
  static final String ENV_DOCKER_CONTAINERS = "COURIER_AGENT_DOCKER_CONTAINERS";
  static final String ENV_DOCKER_BINARY = "COURIER_AGENT_DOCKER_BINARY";
  static final String ENV_SCAN_ROOTS = "COURIER_AGENT_SCAN_ROOTS";
  static final String ENV_SCANNER_PATH = "COURIER_AGENT_SCANNER_PATH";
  static final String ENV_COLLECT_ROOTS = "COURIER_AGENT_COLLECT_ROOTS";
  static final String ENV_CONFIG = "COURIER_AGENT_CONFIG";
  static final String ENV_MODE = "COURIER_AGENT_MODE";
  static final String ENV_UPGRADE_ORIGINS = "COURIER_AGENT_UPGRADE_ORIGINS";

  /** Set by deploy/courier-agent-launch: the jar it runs, and the state directory it watches. */
  static final String ENV_LAUNCHER_JAR = "COURIER_AGENT_JAR";

  static final String ENV_LAUNCHER_STATE_DIR = "COURIER_AGENT_LAUNCH_STATE_DIR";
  static final String DEFAULT_STATE_DIR = "./agent-state";
  private static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

  @Spec private CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "YAML config file: the settings below under snake_case keys, plus local schedules (env "
              + ENV_CONFIG
              + "). Flags win over environment variables, which win over the file.")
  private Path configFile;

  @Option(
      names = "--mode",
      paramLabel = "managed|standalone|hybrid",
      description =
          "managed: server commands (default); standalone: the config file's schedules only;"
              + " hybrid: both (env "
              + ENV_MODE
              + ").")
  private String mode;

  @Option(
      names = "--outbox-quota-mb",
      paramLabel = "MIB",
      description =
          "Disk space for results waiting for the server; at the quota the agent takes no new"
              + " commands (default 256).")
  private Integer outboxQuotaMb;

  @Option(
      names = "--upgrade-origins",
      paramLabel = "URL[,URL...]",
      split = ",",
      description =
          "Origins upgrade may download from besides the server's own (env "
              + ENV_UPGRADE_ORIGINS
              + ").")
  private List<String> upgradeOrigins;

  @Option(
      names = "--upgrade-deadline-seconds",
      paramLabel = "SECONDS",
      description =
          "After an upgrade, how long the new version has to reach the server before it is rolled"
              + " back, 10-3600 (default 120).")
  private Integer upgradeDeadlineSeconds;

  @Option(
      names = "--enable-terminal",
      description =
          "Let operators open a terminal on this host through the server (a shell running as this"
              + " agent's user; default off, or the config file's terminal.enabled).")
  private boolean enableTerminal;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "Server base URL, e.g. https://courier.example.com (env " + ENV_SERVER + ").")
  private URI server;

  @Option(
      names = "--enroll",
      paramLabel = "TOKEN",
      description = "Enrollment token, used on first run only (env " + ENV_ENROLL_TOKEN + ").")
  private String enrollToken;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Identity, command journal and result outbox (env "
              + ENV_STATE_DIR
              + ", default "
              + DEFAULT_STATE_DIR
              + ").")
  private Path stateDir;

  @Option(
      names = "--hostname",
      paramLabel = "NAME",
      description = "Name to enroll and report under (default: this machine's host name).")
  private String hostname;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description = "Label sent at enrollment; repeatable.")
  private Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--max-concurrent",
      paramLabel = "N",
      description =
          "Commands run at once, 1-" + AgentOptions.MAX_CONCURRENT_LIMIT + " (default 4).")
  private Integer maxConcurrent;

  @Option(
      names = "--transport",
      paramLabel = "websocket|poll",
      description = "How commands arrive (default websocket, polling while it is down).")
  private Transport transport;

  @Option(
      names = "--heartbeat-seconds",
      paramLabel = "SECONDS",
      description = "Seconds between heartbeats, 1-3600 (default 30).")
  private Integer heartbeatSeconds;

  @Option(
      names = "--shutdown-grace-seconds",
      paramLabel = "SECONDS",
      description = "On SIGTERM, how long running commands may finish, 0-3600 (default 10).")
  private Integer shutdownGraceSeconds;

  @Option(
      names = "--git-roots",
      paramLabel = "DIR[,DIR...]",
      split = ",",
      description =
          "Directories whose Git repositories git_pull may pull (env "
              + ENV_GIT_ROOTS
              + "; default none: git_pull refuses every repository).")
  private List<String> gitRoots;

  @Option(
      names = "--docker-containers",
      paramLabel = "NAME[,NAME...]",
      split = ",",
      description =
          "Containers docker_restart may restart (env "
              + ENV_DOCKER_CONTAINERS
              + "; default none: docker_restart refuses every container).")
  private List<String> dockerContainers;

  @Option(
      names = "--docker-binary",
      paramLabel = "PROGRAM",
      description =
          "The docker program, a name looked up on PATH or a path (env "
              + ENV_DOCKER_BINARY
              + ", default "
              + ExecutorSettings.DEFAULT_DOCKER_BINARY
              + ").")
  private String dockerBinary;

  @Option(
      names = "--scan-roots",
      paramLabel = "DIR[,DIR...]",
      split = ",",
      description =
          "Directories scan may scan (env "
              + ENV_SCAN_ROOTS
              + "; default none: scan refuses every target).")
  private List<String> scanRoots;

  @Option(
      names = "--scanner-path",
      paramLabel = "DIR[,DIR...]",
      split = ",",
      description =
          "Where scan looks for semgrep, trivy and gitleaks (env "
              + ENV_SCANNER_PATH
              + ", default the agent's PATH).")
  private List<String> scannerPath;

  @Option(
      names = "--collect-roots",
      paramLabel = "DIR[,DIR...]",
      split = ",",
      description =
          "Directories collect may gather files from (env "
              + ENV_COLLECT_ROOTS
              + "; default none: collect refuses every path).")
  private List<String> collectRoots;

  private final Map<String, String> environment;
  private final AgentLauncher launcher;
  private AgentConfig config = AgentConfig.empty();

  AgentMain(Map<String, String> environment, AgentLauncher launcher) {
    this.environment = Map.copyOf(environment);
    this.launcher = launcher;
  }

  public static void main(String[] args) {
    AgentLogConfigurator.configureThisProcess();
    System.exit(commandLine(System.getenv(), new AgentProcess()).execute(args));
  }

  /** The picocli command line, with this agent's parsing conventions. */
  static CommandLine commandLine(Map<String, String> environment, AgentLauncher launcher) {
    return new CommandLine(new AgentMain(environment, launcher))
        .addSubcommand("status", new StatusCommand(environment))
        .setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() throws InterruptedException {
    LaunchSettings settings = settings();
    try {
      return launcher.launch(settings);
    } catch (LaunchException e) {
      spec.commandLine().getErr().println("courier-agent: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return e.exitCode();
    }
  }

  /** Flags, then environment, then defaults; range checks name the flag. */
  LaunchSettings settings() {
    Optional<Path> configPath =
        Optional.ofNullable(configFile).or(() -> rawEnv(ENV_CONFIG).map(Path::of));
    if (configPath.isPresent()) {
      try {
        config = AgentConfig.load(configPath.get().toAbsolutePath().normalize());
      } catch (ConfigException e) {
        throw usage(e.getMessage());
      }
    }
    Optional<URI> serverUrl =
        Optional.ofNullable(server).or(() -> env(ENV_SERVER).map(this::parseServer));
    serverUrl.ifPresent(this::checkServer);
    Path dir =
        Optional.ofNullable(stateDir)
            .or(() -> env(ENV_STATE_DIR).map(Path::of))
            .orElse(Path.of(DEFAULT_STATE_DIR));
    if (labels.isEmpty()) {
      labels.putAll(config.labels());
    }
    if (hostname != null && hostname.isBlank()) {
      throw usage("--hostname must not be blank");
    }
    return new LaunchSettings(
        serverUrl,
        Optional.ofNullable(enrollToken).filter(t -> !t.isBlank()).or(() -> env(ENV_ENROLL_TOKEN)),
        dir.toAbsolutePath().normalize(),
        hostname == null
            ? env(AgentConfig.envName("hostname")).orElseGet(LocalHostname::get)
            : hostname.trim(),
        labels,
        Optional.ofNullable(maxConcurrent)
            .or(() -> number("max_concurrent"))
            .map(n -> inRange("--max-concurrent", n, 1, AgentOptions.MAX_CONCURRENT_LIMIT)),
        Optional.ofNullable(transport).or(this::transportSetting),
        Optional.ofNullable(heartbeatSeconds)
            .or(() -> number("heartbeat_seconds"))
            .map(n -> Duration.ofSeconds(inRange("--heartbeat-seconds", n, 1, 3600))),
        Optional.ofNullable(shutdownGraceSeconds)
            .or(() -> number("shutdown_grace_seconds"))
            .map(n -> Duration.ofSeconds(inRange("--shutdown-grace-seconds", n, 0, 3600)))
            .orElse(DEFAULT_SHUTDOWN_GRACE),
        executorSettings(),
        operations(dir.toAbsolutePath().normalize()));
  }

  private OperatorSettings operations(Path dir) {
    Mode chosen =
        Optional.ofNullable(mode)
            .or(() -> env(ENV_MODE))
            .map(
                value ->
                    Mode.parse(value)
                        .orElseThrow(
                            () ->
                                usage(
                                    "--mode (or "
                                        + ENV_MODE
                                        + ") must be managed, standalone or hybrid, was '"
                                        + value
                                        + "'")))
            .orElse(Mode.MANAGED);
    if (chosen.runsLocalSchedules() && config.schedules().isEmpty()) {
      throw usage(
          "--mode "
              + chosen.wireName()
              + " runs the config file's schedules, and "
              + config.file().map(Path::toString).orElse("no --config file")
              + " has none");
    }
    List<String> origins = new ArrayList<>();
    for (String origin : list(upgradeOrigins, ENV_UPGRADE_ORIGINS)) {
      UpgradeOrigins.parseOrigin(origin)
          .orElseThrow(
              () ->
                  usage(
                      "--upgrade-origins (or "
                          + ENV_UPGRADE_ORIGINS
                          + "): '"
                          + origin
                          + "' is not an http(s) origin like https://host"));
      origins.add(origin);
    }
    Optional<UpgradeExecutor.Installation> installation =
        rawEnv(ENV_LAUNCHER_JAR)
            .map(
                jar ->
                    new UpgradeExecutor.Installation(
                        Path.of(jar).toAbsolutePath().normalize(),
                        rawEnv(ENV_LAUNCHER_STATE_DIR).map(Path::of).orElse(dir)));
    return new OperatorSettings(
        chosen,
        config.file(),
        config.schedules(),
        Optional.ofNullable(outboxQuotaMb)
            .or(() -> number("outbox_quota_mb"))
            .map(mb -> inRange("--outbox-quota-mb", mb, 1, 1024 * 1024) * 1024L * 1024L),
        origins,
        Optional.ofNullable(upgradeDeadlineSeconds)
            .or(() -> number("upgrade_deadline_seconds"))
            .map(n -> Duration.ofSeconds(inRange("--upgrade-deadline-seconds", n, 10, 3600)))
            .orElse(OperatorSettings.DEFAULT_UPGRADE_DEADLINE),
        installation,
        enableTerminal ? config.terminal().withEnabled(true) : config.terminal());
  }

  /** A whole-number setting from the environment or the config file. */
  private Optional<Integer> number(String key) {
    String envName = AgentConfig.envName(key);
    return env(envName)
        .map(
            value -> {
              try {
                return Integer.parseInt(value);
              } catch (NumberFormatException e) {
                throw usage(envName + " (or config key " + key + ") must be a whole number");
              }
            });
  }

  private Optional<Transport> transportSetting() {
    return env(AgentConfig.envName("transport"))
        .map(
            value -> {
              try {
                return Transport.valueOf(value.toUpperCase(java.util.Locale.ROOT));
              } catch (IllegalArgumentException e) {
                throw usage("COURIER_AGENT_TRANSPORT must be websocket or poll, was " + value);
              }
            });
  }

  /** The system executors' allowlists: each flag replaces its environment variable's list. */
  private ExecutorSettings executorSettings() {
    List<Path> scanners = absolutePaths("--scanner-path", scannerPath, ENV_SCANNER_PATH);
    try {
      return new ExecutorSettings(
          absolutePaths("--git-roots", gitRoots, ENV_GIT_ROOTS),
          new LinkedHashSet<>(list(dockerContainers, ENV_DOCKER_CONTAINERS)),
          Optional.ofNullable(dockerBinary)
              .map(String::trim)
              .or(() -> env(ENV_DOCKER_BINARY))
              .orElse(ExecutorSettings.DEFAULT_DOCKER_BINARY),
          absolutePaths("--scan-roots", scanRoots, ENV_SCAN_ROOTS),
          scanners.isEmpty() ? Executables.fromEnvironment() : Executables.in(scanners),
          absolutePaths("--collect-roots", collectRoots, ENV_COLLECT_ROOTS));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** The flag's comma-separated values, else the environment variable's; blanks dropped. */
  private List<String> list(List<String> flagValues, String envName) {
    List<String> values =
        flagValues != null
            ? flagValues
            : env(envName).map(v -> List.of(v.split(","))).orElse(List.of());
    return values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  private List<Path> absolutePaths(String flag, List<String> flagValues, String envName) {
    List<Path> paths = new ArrayList<>();
    for (String value : list(flagValues, envName)) {
      Path path;
      try {
        path = Path.of(value);
      } catch (InvalidPathException e) {
        throw usage(flag + " (or " + envName + "): '" + value + "' is not a path");
      }
      if (!path.isAbsolute()) {
        throw usage(flag + " (or " + envName + ") needs absolute paths, was '" + value + "'");
      }
      paths.add(path.normalize());
    }
    return List.copyOf(paths);
  }

  /** The environment variable, else the config file's key of the same name. */
  private Optional<String> env(String name) {
    return rawEnv(name)
        .or(
            () ->
                name.startsWith("COURIER_AGENT_")
                    ? config.text(
                        name.substring("COURIER_AGENT_".length()).toLowerCase(Locale.ROOT))
                    : Optional.empty());
  }

  private Optional<String> rawEnv(String name) {
    return Optional.ofNullable(environment.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  private URI parseServer(String value) {
    try {
      return URI.create(value);
    } catch (IllegalArgumentException e) {
      throw usage(ENV_SERVER + " is not a URL: " + value);
    }
  }

  private void checkServer(URI url) {
    String scheme = url.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || url.getHost() == null) {
      throw usage("--server must be an http or https URL with a host, was '" + url + "'");
    }
  }

  private int inRange(String flag, int value, int min, int max) {
    if (value < min || value > max) {
      throw usage(flag + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
