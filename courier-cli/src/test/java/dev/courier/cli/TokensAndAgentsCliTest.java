package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.protocol.ProtocolJson;
import dev.courier.server.testing.ApiClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TokensAndAgentsCliTest {

  private static CliHarness cli;

  @BeforeAll
  static void start() {
    cli = new CliHarness();
  }

  @AfterAll
  static void stop() {
    cli.close();
  }

  private static JsonNode json(CliHarness.Result result) throws Exception {
    return ProtocolJson.mapper().readTree(result.out());
  }

  private static ApiClient.Response enroll(String token, String hostname) {
    return cli.server()
        .api()
        .post("/api/v1/agents/enroll", Map.of("enrollment_token", token, "hostname", hostname));
  }

  @Test
  void tokens_create_prints_the_secret_once_with_the_line_that_starts_an_agent() throws Exception {
    CliHarness.Result create =
        cli.admin(
            "tokens",
            "create",
            "--max-uses",
            "2",
            "--expires-in-seconds",
            "3600",
            "--label",
            "env=prod",
            "--label",
            "team=ops");

    assertThat(create.exitCode()).as(create.toString()).isZero();
    JsonNode token = json(create);
    String secret = token.path("token").asText();
    assertThat(secret).isNotBlank();
    assertThat(token.path("max_uses").asInt()).isEqualTo(2);
    assertThat(token.path("labels").path("env").asText()).isEqualTo("prod");
    String agentLine = "./courier agent --server " + cli.url() + " --enroll " + secret;
    assertThat(token.path("agent_command").asText()).isEqualTo(agentLine);
    assertThat(create.err()).contains("shown only once").contains(agentLine);

    ApiClient.Response enrolled = enroll(secret, "db-1");
    assertThat(enrolled.status()).as(enrolled.toString()).isEqualTo(201);
  }

  @Test
  void tokens_list_shows_tokens_and_revoke_stops_enrollment() throws Exception {
    JsonNode created = json(cli.admin("tokens", "create", "--output", "json"));
    String id = created.path("id").asText();

    CliHarness.Result table = cli.admin("tokens", "list");
    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("ID").contains("USES");
    assertThat(table.out()).contains(id);
    assertThat(table.out()).doesNotContain(created.path("token").asText());

    CliHarness.Result revoke = cli.admin("tokens", "revoke", id);
    assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
    assertThat(revoke.out()).isEqualTo("revoked " + id + System.lineSeparator());

    JsonNode listed = json(cli.admin("tokens", "list", "--output", "json"));
    JsonNode revoked = null;
    for (JsonNode token : listed.path("enrollment_tokens")) {
      if (token.path("id").asText().equals(id)) {
        revoked = token;
      }
    }
    assertThat(revoked).isNotNull();
    assertThat(revoked.path("revoked_at").isNull()).isFalse();
    assertThat(enroll(created.path("token").asText(), "late-1").status()).isNotEqualTo(201);
  }

  @Test
  void agents_list_get_and_history_show_an_enrolled_agent_and_its_commands() throws Exception {
    FakeAgent agent = new FakeAgent(cli.server(), "history-host");
    String commandId =
        json(cli.admin("commands", "run", "--agent", agent.id, "--type", "health_check"))
            .path("id")
            .asText();

    CliHarness.Result list = cli.admin("agents", "list");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out().lines().findFirst().orElseThrow())
        .startsWith("ID")
        .contains("HOSTNAME", "STATUS", "LAST HEARTBEAT");
    assertThat(list.out()).contains(agent.id).contains("history-host");

    JsonNode got = json(cli.admin("agents", "get", agent.id));
    assertThat(got.path("hostname").asText()).isEqualTo("history-host");
    assertThat(got.path("status").asText()).isIn("online", "offline");

    JsonNode history = json(cli.admin("agents", "history", agent.id, "--output", "json"));
    assertThat(history.path("commands")).hasSize(1);
    assertThat(history.path("commands").get(0).path("id").asText()).isEqualTo(commandId);
  }

  @Test
  void agents_list_with_a_bad_status_names_the_field() {
    CliHarness.Result list = cli.admin("agents", "list", "--status", "sleeping");

    assertThat(list.exitCode()).isEqualTo(ExitCodes.FAILED);
    // The server's wording of the allowed values is its own; the CLI's job is status, detail,
    // field.
    assertThat(list.err())
        .startsWith("error: 400 Bad Request: status must be ")
        .endsWith(" (field: status)" + System.lineSeparator());
  }

  @Test
  void agents_get_of_an_unknown_id_is_a_404() {
    CliHarness.Result get = cli.admin("agents", "get", "no-such-agent");

    assertThat(get.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(get.err()).startsWith("error: 404 Not Found");
  }
}
