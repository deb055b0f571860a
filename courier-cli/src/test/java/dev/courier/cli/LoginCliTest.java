package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.protocol.ProtocolJson;
import dev.courier.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class LoginCliTest {

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
  void login_stores_an_owner_only_token_that_later_commands_use(@TempDir Path home)
      throws Exception {
    Path config = home.resolve("nested/courier");
    Map<String, String> env =
        Map.of("COURIER_CONFIG_DIR", config.toString(), "COURIER_SERVER", cli.url() + "/");

    CliHarness.Result login =
        cli.runWith(
            env,
            TestServer.ADMIN_PASSWORD + "\n",
            "login",
            "--username",
            "admin",
            "--password-stdin");

    assertThat(login.exitCode()).as(login.toString()).isZero();
    assertThat(login.out()).contains("Logged in to " + cli.url() + " as admin");
    Path file = config.resolve("credentials.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
        .isEqualTo("rwx------");
    String stored = Files.readString(file);
    assertThat(stored).doesNotContain(TestServer.ADMIN_PASSWORD);
    JsonNode entry = ProtocolJson.mapper().readTree(stored).path("servers").path(cli.url());
    assertThat(entry.path("access_token").asText()).isNotBlank();
    assertThat(entry.path("username").asText()).isEqualTo("admin");

    CliHarness.Result list = cli.runWith(env, "", "tokens", "list");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out()).startsWith("ID");
  }

  @Test
  void login_replaces_the_token_of_one_server_and_keeps_the_others(@TempDir Path config)
      throws Exception {
    Map<String, String> env = Map.of("COURIER_CONFIG_DIR", config.toString());
    new Credentials(config)
        .save("https://other.example", new Credentials.StoredToken("other-token", "bob", null));

    CliHarness.Result login =
        cli.runWith(
            env,
            TestServer.ADMIN_PASSWORD,
            "login",
            "--server",
            cli.url(),
            "-u",
            "admin",
            "--password-stdin");

    assertThat(login.exitCode()).as(login.toString()).isZero();
    Credentials credentials = new Credentials(config);
    assertThat(credentials.find("https://other.example").orElseThrow().accessToken())
        .isEqualTo("other-token");
    assertThat(credentials.find(cli.url()).orElseThrow().expiresAt()).isNotNull();
  }

  @Test
  void a_wrong_password_prints_the_problem_and_stores_nothing(@TempDir Path config) {
    CliHarness.Result login =
        cli.runWith(
            Map.of("COURIER_CONFIG_DIR", config.toString()),
            "not-the-password\n",
            "--server",
            cli.url(),
            "login",
            "--username",
            "admin",
            "--password-stdin");

    assertThat(login.exitCode()).as(login.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(login.err()).startsWith("error: 401 Unauthorized");
    assertThat(config.resolve("credentials.json")).doesNotExist();
  }

  @Test
  void login_without_a_terminal_asks_for_password_stdin(@TempDir Path config) {
    CliHarness.Result login =
        cli.runWith(
            Map.of("COURIER_CONFIG_DIR", config.toString()),
            "",
            "login",
            "--server",
            cli.url(),
            "--username",
            "admin");

    assertThat(login.exitCode()).as(login.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(login.err()).contains("no terminal").contains("--password-stdin");
  }

  @Test
  void a_command_without_any_token_exits_with_the_login_hint(@TempDir Path config) {
    CliHarness.Result list =
        cli.runWith(
            Map.of("COURIER_CONFIG_DIR", config.toString()),
            "",
            "commands",
            "list",
            "--server",
            cli.url());

    assertThat(list.exitCode()).as(list.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(list.err())
        .contains("error: not logged in to " + cli.url())
        .contains("hint: log in with: ./courier cli login --server " + cli.url());
    assertThat(list.out()).isEmpty();
  }

  @Test
  void an_expired_stored_login_exits_with_the_login_hint(@TempDir Path config) {
    new Credentials(config)
        .save(
            cli.url(),
            new Credentials.StoredToken(
                "stale", "admin", java.time.Instant.parse("2020-01-01T00:00:00Z")));

    CliHarness.Result list =
        cli.runWith(
            Map.of("COURIER_CONFIG_DIR", config.toString()),
            "",
            "--server",
            cli.url(),
            "agents",
            "list");

    assertThat(list.exitCode()).as(list.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(list.err()).contains("expired").contains("--username admin");
  }

  @Test
  void a_token_the_server_rejects_gets_the_login_hint() {
    CliHarness.Result list =
        cli.runWith(Map.of(), "", "--server", cli.url(), "--token", "not-a-jwt", "agents", "list");

    assertThat(list.exitCode()).as(list.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(list.err()).startsWith("error: 401 Unauthorized").contains("hint: log in with");
  }

  @Test
  void the_token_in_courier_token_is_used_when_no_flag_is_given(@TempDir Path config) {
    CliHarness.Result login =
        cli.runWith(
            Map.of("COURIER_CONFIG_DIR", config.toString()),
            TestServer.ADMIN_PASSWORD,
            "login",
            "--server",
            cli.url(),
            "--username",
            "admin",
            "--password-stdin");
    assertThat(login.exitCode()).as(login.toString()).isZero();
    String token = new Credentials(config).find(cli.url()).orElseThrow().accessToken();

    CliHarness.Result list =
        cli.runWith(
            Map.of("COURIER_SERVER", cli.url(), "COURIER_TOKEN", token),
            "",
            "agents",
            "list",
            "--output",
            "json");

    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out()).contains("\"agents\"");
  }
}
