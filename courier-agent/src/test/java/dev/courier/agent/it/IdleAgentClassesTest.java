package dev.courier.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.sdk.AgentIdentity;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a connected, idle agent has loaded. Its memory (DESIGN.md section 7) is mostly the classes
 * it loaded, so what only some commands or set-ups need loads on first use: host inventory (OSHI,
 * JNA), terminals (pty4j, Kotlin), local schedules (cron-utils), the YAML config file, Logback's
 * XML configuration, and TLS while the server is plain http. This pins that none of them comes back
 * at start-up, and that the inventory still loads when asked for.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class IdleAgentClassesTest {

  /** Class-name prefixes an idle agent must not have loaded. */
  private static final List<String> LOADED_ON_FIRST_USE =
      List.of(
          "oshi.",
          "com.sun.jna.",
          "com.pty4j.",
          "kotlin.",
          "com.cronutils.",
          "org.yaml.",
          "com.fasterxml.jackson.dataformat.yaml.",
          "ch.qos.logback.classic.joran.",
          "ch.qos.logback.core.joran.event.",
          "ch.qos.logback.classic.PatternLayout",
          "com.sun.org.apache.xerces.",
          "sun.security.ssl.",
          "sun.security.x509.X509CertImpl");

  @RegisterExtension final ChildAgents agents = new ChildAgents();
  @TempDir Path temp;
  private TestServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void an_idle_agent_has_not_loaded_what_only_some_commands_need_and_loads_it_when_asked()
      throws IOException {
    server = TestServer.start(TestDatabases.Kind.SQLITE);
    Path classLog = temp.resolve("classes.log");
    ChildAgent agent =
        agents.start(
            temp.resolve("agent"),
            List.of("-Xlog:class+load=info:file=" + classLog),
            List.of(
                "--server",
                server.baseUrl(),
                "--enroll",
                enrollmentToken(),
                "--enable-terminal",
                "--heartbeat-seconds",
                "1"));
    String id = awaitOnline(agent);
    assertThat(run(id, "echo", Map.of("message", "hello")).path("status").asText())
        .isEqualTo("completed");

    Set<String> idle = loaded(classLog, LOADED_ON_FIRST_USE);
    assertThat(idle).as("loaded by an idle agent").isEmpty();

    assertThat(run(id, "collect_inventory", Map.of()).path("status").asText())
        .isEqualTo("completed");
    assertThat(loaded(classLog, List.of("oshi."))).isNotEmpty();
  }

  private String enrollmentToken() {
    ApiClient.Response token =
        server.admin().post("/api/v1/enrollment-tokens", Map.of("max_uses", 1));
    assertThat(token.status()).as(token.toString()).isEqualTo(201);
    return token.text("token");
  }

  private String awaitOnline(ChildAgent agent) {
    AgentIdentity identity = agent.awaitIdentity(Duration.ofSeconds(30));
    String id = identity.agentId().value();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> server.agentStatus(id).equals("online"));
    return id;
  }

  private JsonNode run(String agentId, String type, Map<String, Object> params) {
    ApiClient.Response created =
        server
            .admin()
            .post(
                "/api/v1/commands?wait=30s",
                Map.of("agent_id", agentId, "type", type, "params", params));
    assertThat(created.status()).as(created.toString()).isIn(200, 201);
    return server.awaitFinished(created.text("id"), Duration.ofSeconds(30));
  }

  /** The classes in the JVM's class-load log whose names start with one of {@code prefixes}. */
  private static Set<String> loaded(Path classLog, List<String> prefixes) throws IOException {
    Set<String> found = new TreeSet<>();
    for (String line : Files.readAllLines(classLog)) {
      int start = line.indexOf("] ");
      int end = line.indexOf(" source:");
      if (start < 0 || end < start) {
        continue;
      }
      String name = line.substring(start + 2, end);
      if (prefixes.stream().anyMatch(name::startsWith)) {
        found.add(name);
      }
    }
    return found;
  }
}
