package dev.courier.agent.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.sdk.TunnelRefusedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal against a real {@code /bin/sh}, through a fake session that records what is sent.
 */
@DisabledOnOs(OS.WINDOWS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TerminalTunnelsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(15);

  @TempDir Path home;

  private TerminalTunnels tunnels;

  @AfterEach
  void closeAll() {
    if (tunnels != null) {
      tunnels.close();
    }
  }

  private TerminalTunnels tunnels(Duration timeout, int cap, int maxSessions, boolean lineMode) {
    tunnels =
        new TerminalTunnels(
            new TerminalSettings(true, "/bin/sh", timeout, cap, maxSessions),
            home,
            Map.of(
                "PATH",
                System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "COURIER_AGENT_ENROLL_TOKEN",
                "secret-token"),
            lineMode);
    return tunnels;
  }

  private FakeTunnelSession opened(TerminalTunnels terminal, String id) throws Exception {
    FakeTunnelSession session = new FakeTunnelSession(id);
    terminal.open(session);
    return session;
  }

  @Test
  void a_command_line_runs_in_sh_and_one_message_brings_stdout_stderr_and_the_exit_code()
      throws Exception {
    TerminalTunnels terminal = tunnels(Duration.ofSeconds(20), 1 << 20, 3, false);
    FakeTunnelSession session = opened(terminal, "s1");
    Files.writeString(home.resolve("marker.txt"), "x");

    terminal.data(session, "s1:cmd-1", command("echo hello; ls; echo oops >&2; exit 3"));

    JsonNode payload = awaitOutput(session, "s1:cmd-1");
    assertThat(payload.path("stdout").asText()).isEqualTo("hello\nmarker.txt\n");
    assertThat(payload.path("stderr").asText()).isEqualTo("oops\n");
    assertThat(payload.path("exit_code").asInt()).isEqualTo(3);
    assertThat(payload.path("truncated").asBoolean()).isFalse();
    assertThat(session.outputs("s1:cmd-1")).hasSize(1);
  }

  @Test
  void a_command_line_runs_in_the_home_directory_without_the_agents_own_settings()
      throws Exception {
    TerminalTunnels terminal = tunnels(Duration.ofSeconds(20), 1 << 20, 3, false);
    FakeTunnelSession session = opened(terminal, "s1");

    terminal.data(
        session, "s1:cmd-1", command("pwd; echo \"token=$COURIER_AGENT_ENROLL_TOKEN term=$TERM\""));

    JsonNode payload = awaitOutput(session, "s1:cmd-1");
    assertThat(payload.path("stdout").asText())
        .isEqualTo(home.toRealPath() + "\ntoken= term=xterm-256color\n");
  }

  @Test
  void a_command_past_its_timeout_is_killed_with_its_children_and_reported_without_exit_code()
      throws Exception {
    TerminalTunnels terminal = tunnels(Duration.ofSeconds(1), 1 << 20, 3, false);
    FakeTunnelSession session = opened(terminal, "s1");
    Path pidFile = home.resolve("child.pid");

    terminal.data(
        session, "s1:cmd-2", command("sleep 30 & echo $! > " + pidFile + "; wait; echo never"));

    JsonNode payload = awaitOutput(session, "s1:cmd-2");
    assertThat(payload.path("exit_code").isNull()).isTrue();
    assertThat(payload.path("stderr").asText()).endsWith("[timed out after 1 s]");
    assertThat(payload.path("stdout").asText()).doesNotContain("never");
    long child = Long.parseLong(Files.readString(pidFile).trim());
    await()
        .atMost(PATIENCE)
        .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void output_past_the_cap_is_cut_with_a_marker_and_reported_truncated() throws Exception {
    TerminalTunnels terminal = tunnels(Duration.ofSeconds(20), 1024, 3, false);
    FakeTunnelSession session = opened(terminal, "s1");

    terminal.data(session, "s1:cmd-1", command("head -c 5000 /dev/zero | tr '\\0' a"));

    JsonNode payload = awaitOutput(session, "s1:cmd-1");
    String stdout = payload.path("stdout").asText();
    assertThat(stdout).startsWith("a".repeat(1024) + "\n[truncated: 3976 more bytes dropped");
    assertThat(payload.path("truncated").asBoolean()).isTrue();
    assertThat(payload.path("exit_code").asInt()).isZero();
  }

  @Test
  void closing_the_session_kills_a_running_command_and_sends_nothing_more() throws Exception {
    TerminalTunnels terminal = tunnels(Duration.ofSeconds(20), 1 << 20, 3, false);
    FakeTunnelSession session = opened(terminal, "s1");
    Path pidFile = home.resolve("cmd.pid");
    terminal.data(session, "s1:cmd-1", command("echo $$ > " + pidFile + "; sleep 30"));
    await().atMost(PATIENCE).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
    long pid = Long.parseLong(Files.readString(pidFile).trim());

    terminal.close(session, "operator closed it");

    await().atMost(PATIENCE).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    assertThat(session.outputs("s1:cmd-1")).isEmpty();
    assertThat(terminal.openSessions()).isZero();
  }

  @Test
  void the_interactive_terminal_runs_typed_commands_and_reports_the_exit_of_the_shell()
      throws Exception {
    TerminalTunnels terminal = tunnels(Duration.ofSeconds(20), 1 << 20, 3, false);
    FakeTunnelSession session = opened(terminal, "s1");

    terminal.data(
        session, "s1:terminal", message("terminal_open", Map.of("cols", 100, "rows", 30)));
    terminal.data(
        session, "s1:terminal", message("terminal_input", Map.of("data", "echo hel\"\"lo-pty\n")));
    await().atMost(PATIENCE).until(() -> session.stdout("s1:terminal").contains("hello-pty"));
    terminal.data(
        session, "s1:terminal", message("terminal_resize", Map.of("cols", 120, "rows", 40)));
    terminal.data(session, "s1:terminal", message("terminal_input", Map.of("data", "exit 5\n")));

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              List<JsonNode> outputs = session.outputs("s1:terminal");
              JsonNode last = outputs.get(outputs.size() - 1).path("payload");
              assertThat(last.path("exit_code").asInt(-1)).isEqualTo(5);
            });
    assertThat(session.errors()).isEmpty();
  }

  @Test
  void line_mode_echoes_what_is_typed_and_runs_it_and_close_kills_the_shell() throws Exception {
    TerminalTunnels terminal = tunnels(Duration.ofSeconds(20), 1 << 20, 3, true);
    FakeTunnelSession session = opened(terminal, "s1");
    Path pidFile = home.resolve("shell.pid");

    terminal.data(session, "s1:terminal", message("terminal_open", Map.of()));
    terminal.data(
        session,
        "s1:terminal",
        message("terminal_input", Map.of("data", "echo hi-$((1+1)); echo $$ > " + pidFile + "\r")));
    await().atMost(PATIENCE).until(() -> session.stdout("s1:terminal").contains("hi-2"));
    assertThat(session.stdout("s1:terminal")).startsWith("echo hi-$((1+1))");
    await().atMost(PATIENCE).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
    long shell = Long.parseLong(Files.readString(pidFile).trim());

    terminal.close(session, "done");

    await()
        .atMost(PATIENCE)
        .until(() -> ProcessHandle.of(shell).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void sessions_past_max_sessions_are_refused_as_too_many_channels() throws Exception {
    TerminalTunnels terminal = tunnels(Duration.ofSeconds(20), 1 << 20, 1, false);
    opened(terminal, "s1");

    assertThatThrownBy(() -> opened(terminal, "s2"))
        .isInstanceOf(TunnelRefusedException.class)
        .hasMessageStartingWith("too_many_channels: ")
        .hasMessageContaining("terminal.max_sessions");
  }

  @Test
  void unknown_types_input_before_open_and_empty_commands_are_refused_as_bad_payload()
      throws Exception {
    TerminalTunnels terminal = tunnels(Duration.ofSeconds(20), 1 << 20, 3, false);
    FakeTunnelSession session = opened(terminal, "s1");

    terminal.data(session, "s1:terminal", message("file_read", Map.of("path", "/etc")));
    terminal.data(session, "s1:terminal", message("terminal_input", Map.of("data", "ls\n")));
    terminal.data(session, "s1:cmd-1", command(" "));

    assertThat(session.errors())
        .hasSize(3)
        .allMatch(error -> error.startsWith("bad_payload: "))
        .anyMatch(error -> error.contains("file_read"))
        .anyMatch(error -> error.contains("terminal_open first"));
  }

  @Test
  void a_shell_that_cannot_start_is_reported_as_spawn_failed() throws Exception {
    tunnels =
        new TerminalTunnels(
            new TerminalSettings(true, "/nonexistent/shell", Duration.ofSeconds(5), 1024, 1),
            home,
            Map.of(),
            false);
    FakeTunnelSession session = opened(tunnels, "s1");

    tunnels.data(session, "s1:terminal", message("terminal_open", Map.of()));

    assertThat(session.errors()).singleElement().asString().startsWith("spawn_failed: ");
  }

  private static JsonNode awaitOutput(FakeTunnelSession session, String channelId) {
    return await()
        .atMost(PATIENCE)
        .until(() -> session.outputs(channelId), outputs -> !outputs.isEmpty())
        .get(0)
        .path("payload");
  }

  private static ObjectNode command(String line) {
    return message("terminal", Map.of("command", line));
  }

  private static ObjectNode message(String type, Map<String, Object> payload) {
    ObjectNode data = JsonNodeFactory.instance.objectNode().put("type", type);
    data.set("payload", new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(payload));
    return data;
  }
}
