package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * A real server on SQLite and a private config directory; runs the CLI in-process as an operator
 * would type it, with no terminal and no real home directory.
 */
final class CliHarness implements AutoCloseable {

  /** What one CLI invocation printed and returned. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final TestServer server;
  private final Path configDir;
  private final String adminToken;

  CliHarness() {
    this.server = TestServer.start(TestDatabases.Kind.SQLITE);
    try {
      this.configDir = Files.createTempDirectory("courier-cli-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ApiClient.Response login =
        server
            .api()
            .post(
                "/api/v1/auth/login",
                Map.of("username", "admin", "password", TestServer.ADMIN_PASSWORD));
    assertThat(login.status()).as(login.toString()).isEqualTo(200);
    this.adminToken = login.text("access_token");
  }

  TestServer server() {
    return server;
  }

  String url() {
    return server.baseUrl();
  }

  Path configDir() {
    return configDir;
  }

  /** Runs the CLI with exactly these arguments and this stdin, no variables but the config dir. */
  Result runWith(Map<String, String> variables, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> env = new java.util.HashMap<>(variables);
    env.putIfAbsent("COURIER_CONFIG_DIR", configDir.toString());
    CliEnvironment environment =
        new CliEnvironment(
            env,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            prompt -> Optional.empty());
    int exit =
        new CommandLine(new CliMain(environment))
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** Runs against the test server without a token of its own (uses the credentials file). */
  Result run(String... args) {
    return runWith(Map.of("COURIER_SERVER", url()), "", args);
  }

  /** Runs against the test server as the admin, with the token on the command line. */
  Result admin(String... args) {
    List<String> all = new ArrayList<>(List.of("--server", url(), "--token", adminToken));
    all.addAll(List.of(args));
    return runWith(Map.of(), "", all.toArray(String[]::new));
  }

  @Override
  public void close() {
    server.close();
  }
}
