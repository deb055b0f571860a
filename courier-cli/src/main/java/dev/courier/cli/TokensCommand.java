package dev.courier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.ProtocolJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tokens create|list|revoke}: enrollment tokens ({@code /api/v1/enrollment-tokens}). */
@Command(
    name = "tokens",
    description = "Manage the enrollment tokens agents use to join.",
    subcommands = CommandLine.HelpCommand.class)
final class TokensCommand implements Callable<Integer> {

  static final String PATH = "/api/v1/enrollment-tokens";

  static final List<Table.Column> COLUMNS =
      List.of(
          Table.Column.field("ID", "id"),
          Table.Column.field("USES", "uses"),
          Table.Column.field("MAX USES", "max_uses"),
          Table.Column.field("EXPIRES", "expires_at"),
          Table.Column.field("REVOKED", "revoked_at"),
          Table.Column.field("LABELS", "labels"),
          Table.Column.field("CREATED", "created_at"));

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  @Command(
      name = "create",
      description = {
        "Create an enrollment token. Its secret is printed once, with the line that starts an"
            + " agent with it."
      })
  int create(
      @Option(names = "--max-uses", paramLabel = "N", description = "How many agents may use it.")
          Integer maxUses,
      @Option(
              names = "--expires-in-seconds",
              paramLabel = "S",
              description = "Lifetime (server default applies if absent).")
          Long expiresInSeconds,
      @Option(
              names = "--label",
              paramLabel = "KEY=VALUE",
              description = "A label every agent enrolled with it gets (repeatable).")
          Map<String, String> labels) {
    Session session = Session.of(spec);
    return session.run(
        () -> {
          ObjectNode body = ProtocolJson.mapper().createObjectNode();
          if (maxUses != null) {
            body.put("max_uses", maxUses);
          }
          if (expiresInSeconds != null) {
            body.put("expires_in_seconds", expiresInSeconds);
          }
          if (labels != null && !labels.isEmpty()) {
            body.set("labels", ProtocolJson.mapper().valueToTree(new LinkedHashMap<>(labels)));
          }
          JsonNode created = session.api().post(PATH, body);
          String secret = created.path("token").asText();
          String agentLine = "./courier agent --server " + session.server() + " --enroll " + secret;
          ((ObjectNode) created).put("agent_command", agentLine);
          session.printer().object(created);
          // The secret is never shown again; say so where a human reads, not in the parsed output.
          session.err().println("The token is shown only once. Start an agent with it:");
          session.err().println("  " + agentLine);
          return ExitCodes.OK;
        });
  }

  @Command(name = "list", description = "List tokens.")
  int list() {
    Session session = Session.of(spec);
    return session.run(
        () -> {
          JsonNode tokens = session.api().get(PATH).path("enrollment_tokens");
          ArrayNode items =
              tokens instanceof ArrayNode array ? array : ProtocolJson.mapper().createArrayNode();
          session.printer().list("enrollment_tokens", items, null, COLUMNS, session.err());
          return ExitCodes.OK;
        });
  }

  @Command(name = "revoke", description = "Revoke a token: no more agents can enroll with it.")
  int revoke(@Parameters(paramLabel = "ID", description = "The token id.") String id) {
    Session session = Session.of(spec);
    return session.run(
        () -> {
          session.api().delete(PATH + "/" + CourierApi.segment(id));
          session.out().println("revoked " + id);
          return ExitCodes.OK;
        });
  }
}
