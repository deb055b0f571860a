package dev.courier.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.agent.sdk.AgentIdentity;
import dev.courier.protocol.AgentId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StatusCommandTest {

  private static final String SERVER_KEY =
      "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=";

  @TempDir Path state;
  private final StringWriter out = new StringWriter();

  private int status(String... args) {
    CommandLine commandLine =
        AgentMain.commandLine(
            Map.of(),
            settings -> {
              throw new AssertionError("status must not launch an agent");
            });
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(out, true));
    return commandLine.execute(args);
  }

  private void enrolled() {
    new AgentIdentity(
            AgentId.of("agent-7"), "secret", SERVER_KEY, URI.create("https://courier.example.com"))
        .save(state.resolve("identity.json"));
  }

  private void statusFile(long pid, Instant at) throws Exception {
    Files.writeString(
        state.resolve("status.json"),
        """
        {"pid": %d, "updated_at": "%s", "agent_id": "agent-7", "server": "https://courier.example.com",
         "version": "1.2.3", "mode": "hybrid", "state": "running", "connected": true,
         "transport": "websocket", "unauthorized": false, "running": 2, "queued": 1,
         "outbox_results": 2, "outbox_bytes": 10, "outbox_quota_bytes": 100, "outbox_full": false,
         "local_schedules": 1}
        """
            .formatted(pid, at));
  }

  @Test
  void a_running_agent_shows_identity_connection_queue_and_outbox_depth() throws Exception {
    enrolled();
    statusFile(ProcessHandle.current().pid(), Instant.now());
    Files.createDirectories(state.resolve("outbox"));
    Files.writeString(state.resolve("outbox/c1.json"), "{}");
    Files.writeString(state.resolve("outbox/c2.json"), "{}");
    Files.writeString(state.resolve("outbox/.c3.json.tmp"), "{}");

    int exit = status("status", "--state-dir", state.toString());

    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains("agent-7", "https://courier.example.com", "running (pid ")
        .contains("connected (websocket)", "2 running, 1 queued", "hybrid", "1.2.3")
        .contains("outbox:      2 result(s) waiting for the server");
  }

  @Test
  void a_stopped_agent_is_shown_as_not_running_with_exit_3() throws Exception {
    enrolled();
    statusFile(Long.MAX_VALUE - 1, Instant.now().minusSeconds(3600));

    int exit = status("status", "--state-dir", state.toString());

    assertThat(exit).isEqualTo(3);
    assertThat(out.toString()).contains("not running (last status", "agent-7");
  }

  @Test
  void an_empty_state_directory_says_there_is_no_agent() {
    assertThat(status("status", "--state-dir", state.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("no agent in " + state);
  }

  @Test
  void a_standalone_agent_has_no_identity_and_no_connection_to_show() throws Exception {
    Files.writeString(
        state.resolve("status.json"),
        """
        {"pid": %d, "updated_at": "%s", "agent_id": null, "server": null, "version": "1.2.3",
         "mode": "standalone", "state": "running", "connected": false, "transport": "none",
         "unauthorized": false, "running": 0, "queued": 0, "local_schedules": 2}
        """
            .formatted(ProcessHandle.current().pid(), Instant.now()));

    int exit = status("status", "--state-dir", state.toString());

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("agent:       (not enrolled)", "server:      (none)")
        .contains("none (standalone mode)", "2 local");
  }
}
