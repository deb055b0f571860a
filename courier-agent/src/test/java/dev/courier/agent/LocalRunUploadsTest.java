package dev.courier.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.config.AgentConfig;
import dev.courier.agent.config.LocalSchedule;
import dev.courier.agent.executor.EchoExecutor;
import dev.courier.agent.sdk.AgentIdentity;
import dev.courier.agent.sdk.ExecutorRegistry;
import dev.courier.agent.sdk.LocalRunner;
import dev.courier.protocol.AgentId;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Local schedule runs reach the real server's command history, once each. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalRunUploadsTest {

  @TempDir Path state;
  private TestServer server;
  private TestServer.EnrolledTestAgent enrolled;
  private LocalSchedule ping;

  @BeforeEach
  void setUp() throws Exception {
    ping =
        AgentConfig.parse(
                Path.of("agent.yaml"),
                "schedules:\n  - {name: ping, cron: \"* * * * *\", type: echo, params: {message: hi}}\n")
            .schedules()
            .getFirst();
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
  }

  private AgentIdentity identity(URI url) {
    return new AgentIdentity(
        AgentId.of(enrolled.id()), enrolled.key(), enrolled.serverPublicKey(), url);
  }

  private LocalScheduler scheduler(LocalRunUploads uploads) {
    return new LocalScheduler(
        List.of(ping),
        new LocalRunner(ExecutorRegistry.of(new EchoExecutor()), 4096, Clock.systemUTC()),
        state,
        Clock.systemUTC(),
        uploads);
  }

  @Test
  void local_runs_are_uploaded_into_the_agents_command_history_and_then_forgotten()
      throws Exception {
    server = TestServer.start(TestDatabases.Kind.SQLITE);
    enrolled = server.enrollAgent("standalone-host");
    URI url = URI.create(server.baseUrl());
    LocalRunUploads uploads = new LocalRunUploads(state, identity(url), url);
    try (LocalScheduler scheduler = scheduler(uploads)) {
      scheduler.runOnce(ping);
      scheduler.runOnce(ping);
    }
    assertThat(uploads.pending()).isEqualTo(2);

    assertThat(uploads.uploadAll()).isTrue();

    assertThat(uploads.pending()).isZero();
    JsonNode history =
        server.admin().get("/api/v1/agents/" + enrolled.id() + "/commands").json().get("commands");
    assertThat(history).hasSize(2);
    for (JsonNode command : history) {
      assertThat(command.path("type").asText()).isEqualTo("echo");
      assertThat(command.path("status").asText()).isEqualTo("completed");
    }
    assertThat(state.resolve("local-results/ping")).isDirectoryContaining("glob:**.json");
  }

  @Test
  void while_the_server_is_unreachable_runs_wait_on_disk() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
    enrolled = new TestServer.EnrolledTestAgent("agent-1", "key", "unused");
    LocalRunUploads uploads = new LocalRunUploads(state, identity(nowhere), nowhere);
    try (LocalScheduler scheduler = scheduler(uploads)) {
      scheduler.runOnce(ping);
    }

    assertThat(uploads.uploadAll()).isFalse();

    assertThat(uploads.pending()).isEqualTo(1);
    try (var files = Files.list(state.resolve(LocalRunUploads.DIR))) {
      assertThat(files).hasSize(1);
    }
  }
}
