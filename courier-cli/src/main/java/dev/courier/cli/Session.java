package dev.courier.cli;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What one subcommand invocation works with: the resolved global options, the output streams, the
 * credentials file and API clients. {@link #run} turns expected failures into one error line and an
 * exit code.
 */
final class Session {

  private final CliMain root;
  private final PrintWriter out;
  private final PrintWriter err;
  private final String server;
  private final Clock clock;
  private HttpClient http;

  private Session(CliMain root, PrintWriter out, PrintWriter err, Clock clock) {
    this.root = root;
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.server = normalize(resolveServer(root));
  }

  static Session of(CommandSpec spec) {
    CliMain root = (CliMain) spec.root().userObject();
    return new Session(
        root, spec.commandLine().getOut(), spec.commandLine().getErr(), Clock.systemUTC());
  }

  /** Runs a subcommand body: a {@link CliFailure} becomes {@code error: ...} and its exit code. */
  int run(Callable<Integer> body) {
    try {
      return body.call();
    } catch (CliFailure failure) {
      err.println("error: " + failure.getMessage());
      if (failure.hint() != null) {
        err.println("hint: " + failure.hint());
      }
      return failure.exitCode();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      if (http != null) {
        http.close();
        http = null;
      }
      out.flush();
      err.flush();
    }
  }

  String server() {
    return server;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  Printer printer() {
    return new Printer(out, root.output);
  }

  /** The user's {@code --output}, or null when they left the default. */
  OutputFormat format() {
    return root.output;
  }

  Credentials credentials() {
    return new Credentials(root.environment().configDir());
  }

  CliEnvironment environment() {
    return root.environment();
  }

  /** A client without credentials, for {@code login}. */
  CourierApi anonymousApi() {
    return new CourierApi(http(), server, null, loginHint(null));
  }

  /** A client with the access token from --token, COURIER_TOKEN or the credentials file. */
  CourierApi api() {
    if (root.token != null && !root.token.isBlank()) {
      return new CourierApi(http(), server, root.token.strip(), loginHint(null));
    }
    var fromEnv = root.environment().variable("COURIER_TOKEN");
    if (fromEnv.isPresent()) {
      return new CourierApi(http(), server, fromEnv.get().strip(), loginHint(null));
    }
    Credentials credentials = credentials();
    Credentials.StoredToken stored =
        credentials
            .find(server)
            .orElseThrow(
                () ->
                    new CliFailure(
                        ExitCodes.FAILED,
                        "not logged in to " + server + " (no token in " + credentials.file() + ")",
                        loginHint(null)));
    Instant now = clock.instant();
    if (stored.expiresAt() != null && !stored.expiresAt().isAfter(now)) {
      throw new CliFailure(
          ExitCodes.FAILED,
          "the stored login for " + server + " expired at " + stored.expiresAt(),
          loginHint(stored.username()));
    }
    return new CourierApi(http(), server, stored.accessToken(), loginHint(stored.username()));
  }

  private HttpClient http() {
    if (http == null) {
      http = CourierApi.newHttpClient();
    }
    return http;
  }

  /** The exact command that fixes a missing or rejected token. */
  String loginHint(String username) {
    return "log in with: ./courier cli login --server "
        + server
        + " --username "
        + (username == null ? "<name>" : username);
  }

  private static String resolveServer(CliMain root) {
    if (root.server != null && !root.server.isBlank()) {
      return root.server;
    }
    return root.environment().variable("COURIER_SERVER").orElse(CliMain.DEFAULT_SERVER);
  }

  /** Trims and drops trailing slashes, so one server has one key in the credentials file. */
  static String normalize(String url) {
    String trimmed = url.strip();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }
}
