package dev.courier.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.server.testing.OperatorStream;
import dev.courier.server.testing.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqliteTerminalEndToEndTest extends TerminalEndToEndContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }

  @Test
  void an_agent_killed_mid_session_closes_the_session_within_seconds_and_the_operator_is_told()
      throws Exception {
    List<String> args = new ArrayList<>(firstRunArgs());
    args.add("--enable-terminal");
    ChildAgent doomed = agents.start(temp.resolve("doomed"), args);
    String id = awaitEnrolledAndOnline(doomed);
    String session = open(id).text("session_id");
    awaitStatus(session, "ready");

    try (OperatorStream stream = OperatorStream.connect(streamUrl(session), operatorToken)) {
      assertThat(stream.next("status").path("status").asText()).isEqualTo("ready");
      stream.awaitPrompt();
      stream.send("{\"type\":\"input\",\"data\":\"echo alive\\n\"}");
      stream.awaitOutput(text -> text.contains("alive\r\n"));
      List<ProcessHandle> shell = doomed.children();
      assertThat(shell).isNotEmpty();

      long killedAt = System.nanoTime();
      doomed.kill();
      JsonNode ended = stream.next("status");
      Duration noticed = Duration.ofNanos(System.nanoTime() - killedAt);

      assertThat(ended.path("status").asText()).isEqualTo("closed");
      assertThat(ended.path("reason").asText()).isEqualTo("agent_disconnected");
      assertThat(noticed).isLessThan(Duration.ofSeconds(10));
      // The shell lost its terminal with the agent: it does not outlive it.
      await()
          .atMost(PATIENCE)
          .untilAsserted(() -> assertThat(shell).noneMatch(ProcessHandle::isAlive));
    }
    JsonNode view = operator.get("/api/v1/tunnel/status?session_id=" + session).json();
    assertThat(view.path("status").asText()).isEqualTo("closed");
    assertThat(view.path("close_reason").asText()).isEqualTo("agent_disconnected");
  }

  @Test
  void sigterm_stops_the_agent_and_kills_what_its_terminal_started() throws Exception {
    List<String> args = new ArrayList<>(firstRunArgs());
    args.add("--enable-terminal");
    ChildAgent stopping = agents.start(temp.resolve("stopping"), args);
    String session = open(awaitEnrolledAndOnline(stopping)).text("session_id");
    awaitStatus(session, "ready");

    List<ProcessHandle> started;
    try (OperatorStream stream = OperatorStream.connect(streamUrl(session), operatorToken)) {
      assertThat(stream.next("status").path("status").asText()).isEqualTo("ready");
      stream.awaitPrompt();
      stream.send("{\"type\":\"input\",\"data\":\"nohup sleep 300 >/dev/null 2>&1 &\\n\"}");
      started = awaitChildRunning(stopping, "sleep");

      assertThat(stopping.terminate(Duration.ofSeconds(15))).as("exit code after SIGTERM").isZero();
    }

    await()
        .atMost(PATIENCE)
        .untilAsserted(() -> assertThat(started).noneMatch(ProcessHandle::isAlive));
    assertThat(stopping.log()).contains("Tunnel session " + session + " closed: agent stopping");
  }
}
