package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Behaviour that needs no server: usage errors, version, an unreachable server. */
@Timeout(30)
class CliUsageTest {

  @TempDir Path config;

  private CliHarness.Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliEnvironment environment =
        new CliEnvironment(
            Map.of("COURIER_CONFIG_DIR", config.toString()),
            new ByteArrayInputStream(new byte[0]),
            prompt -> Optional.empty());
    int exit =
        new CommandLine(new CliMain(environment))
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new CliHarness.Result(exit, out.toString(), err.toString());
  }

  @Test
  void an_unreachable_server_exits_3_naming_the_url() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;

    CliHarness.Result result = run("--server", url, "--token", "t", "commands", "list");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(result.err()).startsWith("error: cannot reach " + url + ": ");
  }

  @Test
  void an_unknown_flag_is_a_usage_error() {
    CliHarness.Result result = run("commands", "list", "--bogus");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("Unknown option: '--bogus'").contains("Usage:");
  }

  @Test
  void a_missing_subcommand_prints_usage_and_exits_2() {
    CliHarness.Result result = run("commands");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("Usage: courier cli commands");
  }

  @Test
  void a_malformed_param_is_a_usage_error_before_any_request() {
    CliHarness.Result result =
        run("--token", "t", "commands", "run", "--agent", "a", "--type", "echo", "--param", "x");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("--param must look like KEY=VALUE");
  }

  @Test
  void a_malformed_wait_is_a_usage_error() {
    CliHarness.Result result =
        run("--token", "t", "commands", "run", "--agent", "a", "--type", "echo", "--wait", "soon");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("--wait must look like 30s");
  }

  @Test
  void an_unknown_output_format_is_a_usage_error() {
    CliHarness.Result result = run("--output", "yaml", "agents", "list");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("--output");
  }

  @Test
  void version_and_help_work_on_every_level() {
    assertThat(run("--version").out()).startsWith("courier cli ");
    CliHarness.Result help = run("tokens", "create", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("--max-uses").contains("--label");
  }
}
