package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The agent side over seed 004's HTTP poll, driven by a test: poll, acknowledge, report. */
final class FakeAgent {

  private final ApiClient api;
  final String id;

  FakeAgent(TestServer server, String hostname) {
    TestServer.EnrolledTestAgent enrolled = server.enrollAgent(hostname);
    this.id = enrolled.id();
    this.api = server.api().as(enrolled.key());
  }

  /** Polls until a pending command arrives and acknowledges it; returns its id. */
  String acknowledgeNext(Duration patience) throws InterruptedException {
    Instant deadline = Instant.now().plus(patience);
    while (Instant.now().isBefore(deadline)) {
      ApiClient.Response poll = api.get("/api/v1/commands?status=pending&limit=1");
      assertThat(poll.status()).as(poll.toString()).isEqualTo(200);
      JsonNode commands = poll.json().path("commands");
      if (!commands.isEmpty()) {
        String commandId = commands.get(0).path("id").asText();
        ApiClient.Response ack =
            api.post("/api/v1/commands/" + commandId + "/acknowledge", Map.of());
        assertThat(ack.status()).as(ack.toString()).isEqualTo(200);
        return commandId;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no command reached agent " + id + " within " + patience);
  }

  void report(String commandId, Map<String, Object> result) {
    ApiClient.Response reported = api.post("/api/v1/commands/" + commandId + "/result", result);
    assertThat(reported.status()).as(reported.toString()).isEqualTo(200);
  }
}
