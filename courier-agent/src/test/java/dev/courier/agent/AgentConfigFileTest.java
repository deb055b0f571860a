package dev.courier.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.agent.config.Mode;
import dev.courier.agent.sdk.Transport;
import dev.courier.agent.terminal.TerminalSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentConfigFileTest {

  @TempDir Path temp;

  private final AtomicReference<LaunchSettings> launched = new AtomicReference<>();
  private final StringWriter err = new StringWriter();

  private int parse(Map<String, String> env, String... args) {
    CommandLine commandLine =
        AgentMain.commandLine(
            env,
            settings -> {
              launched.set(settings);
              return 0;
            });
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private Path config(String yaml) throws IOException {
    return Files.writeString(temp.resolve("agent.yaml"), yaml);
  }

  @Test
  void the_config_file_sets_what_flags_and_environment_leave_open() throws IOException {
    Path file =
        config(
            """
            server: https://file.example.com
            state_dir: %s
            heartbeat_seconds: 7
            transport: poll
            outbox_quota_mb: 3
            collect_roots: [/var/log/app, /srv/logs]
            labels: {env: prod}
            """
                .formatted(temp.resolve("state")));

    int exit = parse(Map.of(), "--config", file.toString());

    assertThat(exit).as(err.toString()).isZero();
    LaunchSettings settings = launched.get();
    assertThat(settings.server())
        .hasValueSatisfying(s -> assertThat(s.getHost()).isEqualTo("file.example.com"));
    assertThat(settings.stateDir()).isEqualTo(temp.resolve("state"));
    assertThat(settings.heartbeatInterval()).contains(Duration.ofSeconds(7));
    assertThat(settings.transport()).contains(Transport.POLL);
    assertThat(settings.operations().outboxQuotaBytes()).contains(3L * 1024 * 1024);
    assertThat(settings.executors().collectRoots())
        .containsExactly(Path.of("/var/log/app"), Path.of("/srv/logs"));
    assertThat(settings.labels()).containsEntry("env", "prod");
    assertThat(settings.operations().configFile()).contains(file);
  }

  @Test
  void environment_overrides_the_file_and_a_flag_overrides_both() throws IOException {
    Path file = config("heartbeat_seconds: 7\nmax_concurrent: 2\nserver: https://a.example.com\n");

    int exit =
        parse(
            Map.of(
                "COURIER_AGENT_CONFIG", file.toString(),
                "COURIER_AGENT_HEARTBEAT_SECONDS", "9",
                "COURIER_AGENT_MAX_CONCURRENT", "3"),
            "--max-concurrent",
            "5");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(launched.get().heartbeatInterval()).contains(Duration.ofSeconds(9));
    assertThat(launched.get().maxConcurrent()).contains(5);
  }

  @Test
  void an_unknown_key_stops_the_agent_with_exit_2_naming_the_file_and_the_key() throws IOException {
    Path file = config("server: https://a.example.com\nheartbeat_secs: 7\n");

    int exit = parse(Map.of(), "--config", file.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains(file.toString(), "unknown key 'heartbeat_secs'");
    assertThat(launched.get()).isNull();
  }

  @Test
  void a_value_of_the_wrong_type_or_range_is_refused_naming_the_key() throws IOException {
    assertThat(parse(Map.of(), "--config", config("heartbeat_seconds: often\n").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("key 'heartbeat_seconds' must be a whole number");
    assertThat(parse(Map.of(), "--config", config("git_roots: [relative/dir]\n").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("key 'git_roots' needs absolute paths");
    assertThat(parse(Map.of(), "--config", config("mode: sometimes\n").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("key 'mode' must be managed, standalone or hybrid");
  }

  @Test
  void a_schedule_with_a_bad_cron_expression_is_refused_naming_the_schedule() throws IOException {
    Path file =
        config(
            """
            schedules:
              - name: nightly
                cron: "0 25 * * *"
                type: health_check
            """);

    assertThat(parse(Map.of(), "--config", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("schedules", "nightly", "cron '0 25 * * *'");
  }

  @Test
  void standalone_mode_takes_its_schedules_from_the_file_and_needs_at_least_one()
      throws IOException {
    Path file =
        config(
            """
            mode: standalone
            schedules:
              - name: nightly-health
                cron: "0 2 * * *"
                type: health_check
                timeout_seconds: 30
            """);

    assertThat(parse(Map.of(), "--config", file.toString())).as(err.toString()).isZero();
    assertThat(launched.get().operations().mode()).isEqualTo(Mode.STANDALONE);
    assertThat(launched.get().operations().schedules())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.type()).isEqualTo("health_check");
              assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(30));
            });

    launched.set(null);
    assertThat(parse(Map.of(), "--mode", "hybrid")).isEqualTo(2);
    assertThat(err.toString()).contains("--mode hybrid runs the config file's schedules");
  }

  @Test
  void the_terminal_is_off_unless_the_file_or_the_flag_enables_it() throws IOException {
    Path file =
        config(
            """
            server: https://file.example.com
            terminal:
              shell: /bin/sh
              command_timeout: 2m
              output_cap: 512KiB
              max_sessions: 5
            """);

    assertThat(parse(Map.of(), "--config", file.toString())).as(err.toString()).isZero();
    TerminalSettings fromFile = launched.get().operations().terminal();
    assertThat(parse(Map.of(), "--config", file.toString(), "--enable-terminal")).isZero();
    TerminalSettings flagged = launched.get().operations().terminal();
    assertThat(parse(Map.of(), "--server", "https://a.example.com")).isZero();
    TerminalSettings defaults = launched.get().operations().terminal();

    assertThat(fromFile)
        .isEqualTo(new TerminalSettings(false, "/bin/sh", Duration.ofMinutes(2), 512 * 1024, 5));
    assertThat(flagged).isEqualTo(fromFile.withEnabled(true));
    assertThat(defaults.enabled()).isFalse();
    assertThat(defaults.commandTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.outputCapBytes()).isEqualTo(1024 * 1024);
    assertThat(defaults.maxSessions()).isEqualTo(3);
  }

  @Test
  void terminal_enabled_in_the_file_turns_it_on() throws IOException {
    Path file = config("server: https://file.example.com\nterminal: {enabled: true}\n");

    assertThat(parse(Map.of(), "--config", file.toString())).as(err.toString()).isZero();

    assertThat(launched.get().operations().terminal().enabled()).isTrue();
  }

  @Test
  void a_bad_terminal_block_exits_2_naming_the_key() throws IOException {
    for (String[] bad :
        new String[][] {
          {"terminal: {enabled: yes please}", "terminal.enabled"},
          {"terminal: {command_timeout: soon}", "terminal.command_timeout"},
          {"terminal: {command_timeout: 2h}", "terminal.command_timeout"},
          {"terminal: {output_cap: 10}", "terminal.output_cap"},
          {"terminal: {max_sessions: 0}", "terminal.max_sessions"},
          {"terminal: {colour: green}", "colour"},
          {"terminal: true", "terminal"},
        }) {
      err.getBuffer().setLength(0);
      Path file = config(bad[0] + "\n");

      int exit = parse(Map.of(), "--server", "https://a.example.com", "--config", file.toString());

      assertThat(exit).as(bad[0]).isEqualTo(2);
      assertThat(err.toString()).as(bad[0]).contains(bad[1]);
    }
  }
}
