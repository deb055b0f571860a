package dev.courier.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.server.CourierServer;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.OperatorStream;
import dev.courier.server.testing.TestDatabases;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresTunnelTest extends TunnelContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }

  /** Issue 9 §6: the operator on node A, the agent's socket on node B. */
  @Test
  void an_operator_on_one_node_works_an_agent_connected_to_another() throws Exception {
    try (CourierServer nodeB = server.startAnotherNode()) {
      FakeAgent agent = agent("ws://127.0.0.1:" + nodeB.port() + "/api/v1/agents/ws", true, true);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  server.admin().get("/api/v1/agents/" + agent.id).text("status").equals("online"));

      ApiClient.Response opened = open(operator, agent);
      assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
      assertThat(opened.text("status")).isEqualTo("ready");
      String session = opened.text("session_id");

      ApiClient.Response ran =
          operator.post("/api/v1/tunnel/" + session + "/command", Map.of("command", "hostname"));
      assertThat(ran.status()).as(ran.toString()).isEqualTo(200);
      assertThat(ran.text("stdout")).isEqualTo("ran: hostname\n");

      try (OperatorStream stream =
          OperatorStream.connect(streamUrl(session) + "?access_token=" + operatorToken())) {
        assertThat(stream.next("status").path("status").asText()).isEqualTo("ready");
        agent.nextData("terminal_open");
        stream.send("{\"type\":\"input\",\"data\":\"id\\n\"}");
        assertThat(agent.nextData("terminal_input").path("payload").path("data").asText())
            .isEqualTo("id\n");
        assertThat(stream.next("output").path("data").asText()).isEqualTo("id\n");

        agent.close();
        JsonNode ended = stream.next("status");
        assertThat(ended.path("status").asText()).isEqualTo("closed");
        assertThat(ended.path("reason").asText()).isEqualTo("agent_disconnected");
      }
    }
  }
}
