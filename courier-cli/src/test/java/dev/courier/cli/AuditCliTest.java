package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.protocol.ProtocolJson;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AuditCliTest {

  private static CliHarness cli;

  @BeforeAll
  static void start() {
    cli = new CliHarness();
  }

  @AfterAll
  static void stop() {
    cli.close();
  }

  @Test
  void audit_list_shows_records_filtered_and_verify_flags_an_edited_one() throws Exception {
    CliHarness.Result created = cli.admin("tokens", "create", "--output", "json");
    assertThat(created.exitCode()).as(created.toString()).isZero();

    CliHarness.Result table = cli.admin("audit", "list", "--action", "enrollment_token.create");
    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("SEQ").contains("ACTOR");
    assertThat(table.out()).contains("enrollment_token.create").contains("user:admin");
    assertThat(table.out()).doesNotContain("auth.login");

    CliHarness.Result intact = cli.admin("audit", "verify");
    assertThat(intact.exitCode()).as(intact.toString()).isZero();
    assertThat(intact.out()).contains("intact").doesNotContain("BROKEN");

    JsonNode records =
        ProtocolJson.mapper()
            .readTree(
                cli.admin("audit", "list", "--output", "json", "--outcome", "succeeded").out())
            .path("records");
    long seq = records.get(0).path("seq").asLong();
    try (Connection connection = DriverManager.getConnection(cli.server().database().jdbcUrl());
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("UPDATE audit_log SET source_ip = '203.0.113.9' WHERE seq = " + seq);
    }

    CliHarness.Result broken = cli.admin("audit", "verify");
    assertThat(broken.exitCode()).as(broken.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(broken.out()).contains("BROKEN").contains("edited: record " + seq);
  }

  @Test
  void a_bad_outcome_filter_is_refused_naming_the_field() {
    CliHarness.Result bad = cli.admin("audit", "list", "--outcome", "maybe");

    assertThat(bad.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(bad.err()).contains("outcome");
  }
}
