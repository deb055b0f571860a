package dev.courier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code login}: {@code POST /api/v1/auth/login}, then stores the access token for this server in
 * the owner-only credentials file, where later commands find it.
 */
@Command(
    name = "login",
    description = {
      "Log in and store the access token for --server in $COURIER_CONFIG_DIR/credentials.json"
          + " (default ~/.config/courier/), readable by you only.",
      "The password is prompted for without echo, or read from standard input."
    })
final class LoginCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-u", "--username"},
      required = true,
      description = "The operator's user name.")
  String username;

  @Option(
      names = "--password-stdin",
      description = "Read the password from the first line of standard input.")
  boolean passwordStdin;

  @Override
  public Integer call() {
    Session session = Session.of(spec);
    return session.run(
        () -> {
          char[] password = password(session);
          JsonNode answer;
          try {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("username", username);
            body.put("password", new String(password));
            answer = session.anonymousApi().post("/api/v1/auth/login", body);
          } finally {
            Arrays.fill(password, '\0');
          }
          String token = answer.path("access_token").asText("");
          if (token.isBlank()) {
            throw new CliFailure(ExitCodes.FAILED, "the server answered without an access_token");
          }
          Instant expiresAt =
              answer.hasNonNull("expires_in")
                  ? Instant.now().plusSeconds(answer.get("expires_in").asLong())
                  : null;
          Credentials credentials = session.credentials();
          credentials.save(
              session.server(), new Credentials.StoredToken(token, username, expiresAt));
          session
              .out()
              .println(
                  "Logged in to "
                      + session.server()
                      + " as "
                      + username
                      + (expiresAt == null ? "" : " until " + expiresAt)
                      + "; token stored in "
                      + credentials.file());
          return ExitCodes.OK;
        });
  }

  private char[] password(Session session) {
    if (passwordStdin) {
      try {
        BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(session.environment().stdin(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (line == null || line.isEmpty()) {
          throw new CliFailure(ExitCodes.USAGE, "no password on standard input");
        }
        return line.toCharArray();
      } catch (IOException e) {
        throw new CliFailure(
            ExitCodes.FAILED, "cannot read the password from standard input: " + e.getMessage());
      }
    }
    char[] typed =
        session
            .environment()
            .prompt()
            .read("Password for " + username + "@" + session.server() + ": ")
            .orElseThrow(
                () ->
                    new CliFailure(
                        ExitCodes.USAGE,
                        "no terminal to ask for the password",
                        "pipe it in with --password-stdin"));
    if (typed.length == 0) {
      throw new CliFailure(ExitCodes.USAGE, "empty password");
    }
    return typed;
  }
}
