package dev.courier.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.agent.executor.ExecutorSettings;
import dev.courier.agent.sdk.Transport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flag parsing and validation, run in-process; nothing here connects to a server. */
class AgentMainTest {

  @TempDir Path stateDir;

  private final AtomicReference<LaunchSettings> launched = new AtomicReference<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, AgentLauncher launcher, String... args) {
    CommandLine commandLine = AgentMain.commandLine(env, launcher);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  /** Runs with a launcher that only records the settings it was given. */
  private int parse(Map<String, String> env, String... args) {
    return run(
        env,
        settings -> {
          launched.set(settings);
          return 0;
        },
        args);
  }

  @Test
  void flags_become_launch_settings() {
    int exit =
        parse(
            Map.of(),
            "--server",
            "https://courier.example.com:8443",
            "--enroll",
            "tok-123",
            "--state-dir",
            stateDir.toString(),
            "--hostname",
            "web-01",
            "--label",
            "env=prod",
            "--label",
            "role=web",
            "--max-concurrent",
            "8",
            "--transport",
            "poll",
            "--heartbeat-seconds",
            "2",
            "--shutdown-grace-seconds",
            "3");

    assertThat(exit).as(err.toString()).isZero();
    LaunchSettings settings = launched.get();
    assertThat(settings.server()).contains(URI.create("https://courier.example.com:8443"));
    assertThat(settings.enrollToken()).contains("tok-123");
    assertThat(settings.stateDir()).isEqualTo(stateDir.toAbsolutePath());
    assertThat(settings.identityFile())
        .isEqualTo(stateDir.toAbsolutePath().resolve("identity.json"));
    assertThat(settings.hostname()).isEqualTo("web-01");
    assertThat(settings.labels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("env", "prod", "role", "web"));
    assertThat(settings.maxConcurrent()).contains(8);
    assertThat(settings.transport()).contains(Transport.POLL);
    assertThat(settings.heartbeatInterval()).contains(Duration.ofSeconds(2));
    assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void environment_supplies_server_token_and_state_dir_when_flags_are_absent() {
    int exit =
        parse(
            Map.of(
                AgentMain.ENV_SERVER, "http://127.0.0.1:9000",
                AgentMain.ENV_ENROLL_TOKEN, "env-token",
                AgentMain.ENV_STATE_DIR, stateDir.toString()));

    assertThat(exit).as(err.toString()).isZero();
    LaunchSettings settings = launched.get();
    assertThat(settings.server()).contains(URI.create("http://127.0.0.1:9000"));
    assertThat(settings.enrollToken()).contains("env-token");
    assertThat(settings.stateDir()).isEqualTo(stateDir.toAbsolutePath());
  }

  @Test
  void flags_win_over_the_environment() {
    parse(
        Map.of(AgentMain.ENV_SERVER, "http://from-env:1", AgentMain.ENV_STATE_DIR, "/nowhere"),
        "--server",
        "http://from-flag:2",
        "--state-dir",
        stateDir.toString());

    assertThat(launched.get().server()).contains(URI.create("http://from-flag:2"));
    assertThat(launched.get().stateDir()).isEqualTo(stateDir.toAbsolutePath());
  }

  @Test
  void defaults_are_the_local_host_name_and_agent_state_under_the_working_directory() {
    int exit = parse(Map.of());

    assertThat(exit).isZero();
    LaunchSettings settings = launched.get();
    assertThat(settings.server()).isEmpty();
    assertThat(settings.enrollToken()).isEmpty();
    assertThat(settings.stateDir()).isEqualTo(Path.of("agent-state").toAbsolutePath());
    assertThat(settings.hostname()).isEqualTo(LocalHostname.get()).isNotBlank();
    assertThat(settings.transport()).isEmpty();
    assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void allowlist_flags_become_executor_settings() {
    int exit =
        parse(
            Map.of(AgentMain.ENV_GIT_ROOTS, "/from/env"),
            "--git-roots",
            "/srv/repos,/opt/app",
            "--docker-containers",
            "web,db",
            "--docker-binary",
            "/usr/local/bin/docker",
            "--scan-roots",
            "/srv/code",
            "--scanner-path",
            "/opt/scanners/bin",
            "--collect-roots",
            "/var/log/app",
            "--collect-roots",
            "/srv/app/logs");

    assertThat(exit).as(err.toString()).isZero();
    ExecutorSettings executors = launched.get().executors();
    assertThat(executors.gitRoots()).containsExactly(Path.of("/srv/repos"), Path.of("/opt/app"));
    assertThat(executors.dockerContainers()).containsExactlyInAnyOrder("web", "db");
    assertThat(executors.dockerBinary()).isEqualTo("/usr/local/bin/docker");
    assertThat(executors.scanRoots()).containsExactly(Path.of("/srv/code"));
    assertThat(executors.scanners().searchPath()).containsExactly(Path.of("/opt/scanners/bin"));
    assertThat(executors.collectRoots())
        .containsExactly(Path.of("/var/log/app"), Path.of("/srv/app/logs"));
  }

  @Test
  void the_environment_supplies_the_allowlists_when_flags_are_absent() {
    int exit =
        parse(
            Map.of(
                AgentMain.ENV_GIT_ROOTS, "/srv/repos, /opt/app",
                AgentMain.ENV_DOCKER_CONTAINERS, "web",
                AgentMain.ENV_DOCKER_BINARY, "podman",
                AgentMain.ENV_SCAN_ROOTS, "/srv/code",
                AgentMain.ENV_SCANNER_PATH, "/opt/scanners/bin",
                AgentMain.ENV_COLLECT_ROOTS, "/var/log"));

    assertThat(exit).as(err.toString()).isZero();
    ExecutorSettings executors = launched.get().executors();
    assertThat(executors.gitRoots()).containsExactly(Path.of("/srv/repos"), Path.of("/opt/app"));
    assertThat(executors.dockerContainers()).containsExactly("web");
    assertThat(executors.dockerBinary()).isEqualTo("podman");
    assertThat(executors.scanRoots()).containsExactly(Path.of("/srv/code"));
    assertThat(executors.scanners().searchPath()).containsExactly(Path.of("/opt/scanners/bin"));
    assertThat(executors.collectRoots()).containsExactly(Path.of("/var/log"));
  }

  @Test
  void by_default_the_system_executors_are_allowed_nothing() {
    parse(Map.of());

    ExecutorSettings executors = launched.get().executors();
    assertThat(executors.gitRoots()).isEmpty();
    assertThat(executors.dockerContainers()).isEmpty();
    assertThat(executors.scanRoots()).isEmpty();
    assertThat(executors.collectRoots()).isEmpty();
    assertThat(executors.dockerBinary()).isEqualTo("docker");
  }

  @Test
  void bad_allowlists_exit_2_naming_the_flag() {
    assertUsageError("--git-roots", "repos").contains("--git-roots", "needs absolute paths");
    assertUsageError("--collect-roots", "/var/log,logs").contains("--collect-roots");
    assertUsageError("--docker-containers", "web,-rf")
        .contains("--docker-containers: '-rf' is not a valid container name");
    assertUsageError("--docker-binary", " ").contains("--docker-binary must not be blank");
  }

  @Test
  void transport_is_accepted_in_any_case() {
    parse(Map.of(), "--transport", "WebSocket");

    assertThat(launched.get().transport()).contains(Transport.WEBSOCKET);
  }

  @Test
  void bad_flag_values_exit_2_with_a_message_naming_the_flag() {
    assertUsageError("--transport", "carrier-pigeon").contains("--transport");
    assertUsageError("--max-concurrent", "0")
        .contains("--max-concurrent must be between 1 and 256");
    assertUsageError("--max-concurrent", "lots").contains("--max-concurrent");
    assertUsageError("--heartbeat-seconds", "0").contains("--heartbeat-seconds must be between 1");
    assertUsageError("--shutdown-grace-seconds", "-1").contains("--shutdown-grace-seconds");
    assertUsageError("--server", "ftp://example.com")
        .contains("--server must be an http or https URL");
    assertUsageError("--server", "not a url").contains("--server");
    assertUsageError("--label", "no-equals-sign").contains("--label");
    assertUsageError("--hostname", " ").contains("--hostname must not be blank");
    assertUsageError("--no-such-flag").contains("--no-such-flag");
  }

  private org.assertj.core.api.AbstractStringAssert<?> assertUsageError(String... args) {
    err.getBuffer().setLength(0);
    launched.set(null);
    int exit = parse(Map.of(), args);
    assertThat(exit).as(String.join(" ", args)).isEqualTo(2);
    assertThat(launched.get()).as("must not launch").isNull();
    return assertThat(err.toString());
  }

  @Test
  void version_and_help_exit_0() {
    assertThat(parse(Map.of(), "--version")).isZero();
    assertThat(out.toString()).startsWith("courier-agent ");
    assertThat(parse(Map.of(), "--help")).isZero();
    assertThat(out.toString())
        .contains("--server", "--enroll", "--state-dir", AgentMain.ENV_SERVER, "--label");
    assertThat(launched.get()).isNull();
  }

  @Test
  void without_identity_or_token_the_agent_exits_2_and_says_how_to_enroll() {
    int exit = run(Map.of(), new AgentProcess(), "--state-dir", stateDir.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains("no agent identity in " + stateDir.resolve("identity.json"))
        .contains("--enroll TOKEN");
  }

  @Test
  void a_token_without_a_server_exits_2() {
    int exit =
        run(Map.of(), new AgentProcess(), "--state-dir", stateDir.toString(), "--enroll", "tok");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--server URL (or COURIER_AGENT_SERVER) is required");
  }

  @Test
  void a_refused_or_unreachable_enrollment_exits_1_and_saves_nothing() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }

    int exit =
        run(
            Map.of(),
            new AgentProcess(),
            "--state-dir",
            stateDir.toString(),
            "--enroll",
            "tok",
            "--server",
            "http://127.0.0.1:" + port);

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("enrollment failed");
    assertThat(stateDir.resolve("identity.json")).doesNotExist();
  }

  @Test
  void a_corrupt_identity_file_exits_1_naming_the_file() throws IOException {
    Files.writeString(stateDir.resolve("identity.json"), "{not json");

    int exit = run(Map.of(), new AgentProcess(), "--state-dir", stateDir.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains(stateDir.resolve("identity.json").toString());
  }

  @Test
  void settings_map_onto_sdk_options() {
    parse(
        Map.of(),
        "--hostname",
        "h1",
        "--label",
        "a=b",
        "--max-concurrent",
        "2",
        "--transport",
        "poll",
        "--heartbeat-seconds",
        "5");
    dev.courier.agent.sdk.AgentIdentity identity =
        new dev.courier.agent.sdk.AgentIdentity(
            dev.courier.protocol.AgentId.of("a1"),
            "key",
            "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=",
            URI.create("http://127.0.0.1:1"));

    var options =
        launched
            .get()
            .toOptions(
                dev.courier.agent.sdk.AgentOptions.defaults(
                    URI.create("http://127.0.0.1:1"), identity, stateDir),
                "1.2.3");

    assertThat(options.hostname()).isEqualTo("h1");
    assertThat(options.version()).isEqualTo("1.2.3");
    assertThat(options.labels()).isEqualTo(Map.of("a", "b"));
    assertThat(options.maxConcurrent()).isEqualTo(2);
    assertThat(options.transport()).isEqualTo(Transport.POLL);
    assertThat(options.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(Optional.of(options.stateDir())).contains(stateDir);
  }
}
