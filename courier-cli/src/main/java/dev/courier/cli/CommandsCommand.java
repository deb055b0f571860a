package dev.courier.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.ProtocolJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code commands run|list|get|cancel} over {@code /api/v1/commands}. */
@Command(
    name = "commands",
    description = "Run commands on agents and follow them.",
    subcommands = {CommandsCommand.Run.class, CommandLine.HelpCommand.class})
final class CommandsCommand implements Callable<Integer> {

  static final List<Table.Column> COLUMNS =
      List.of(
          Table.Column.field("ID", "id"),
          Table.Column.field("AGENT", "agent_id"),
          Table.Column.field("TYPE", "type"),
          Table.Column.field("STATUS", "status"),
          Table.Column.field("PRIORITY", "priority"),
          new Table.Column("EXIT", item -> Table.text(item.path("result").path("exit_code"))),
          Table.Column.field("CREATED", "created_at"));

  private static final Set<String> UNSUCCESSFUL =
      Set.of("failed", "timed_out", "cancelled", "expired");

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  @Command(name = "list", description = "List commands, newest first.")
  int list(
      @Option(names = "--agent", paramLabel = "ID", description = "Only this agent's.")
          String agent,
      @Option(
              names = "--status",
              paramLabel = "S",
              description = "Only this status (pending, running, completed, failed, …).")
          String status,
      @Option(names = "--type", paramLabel = "T", description = "Only this command type.")
          String type,
      @Mixin PageOptions page) {
    Session session = Session.of(spec);
    return session.run(
        () -> {
          Map<String, String> filters = new LinkedHashMap<>();
          filters.put("agent_id", agent);
          filters.put("status", status);
          filters.put("type", type);
          PageOptions.Fetched fetched =
              page.fetch(session.api(), "/api/v1/commands", filters, "commands");
          session
              .printer()
              .list("commands", fetched.items(), fetched.nextCursor(), COLUMNS, session.err());
          return ExitCodes.OK;
        });
  }

  @Command(name = "get", description = "Show one command.")
  int get(@Parameters(paramLabel = "ID", description = "The command id.") String id) {
    Session session = Session.of(spec);
    return session.run(
        () -> {
          session.printer().object(session.api().get(path(id)));
          return ExitCodes.OK;
        });
  }

  @Command(
      name = "cancel",
      description = {
        "Cancel a command: a pending one ends at once (cancelled);",
        "an accepted or running one becomes cancelling until its agent stops it."
      })
  int cancel(@Parameters(paramLabel = "ID", description = "The command id.") String id) {
    Session session = Session.of(spec);
    return session.run(
        () -> {
          session.printer().object(session.api().delete(path(id)));
          return ExitCodes.OK;
        });
  }

  static String path(String id) {
    return "/api/v1/commands/" + CourierApi.segment(id);
  }

  /** The exit code for a command as the server last showed it. */
  static int exitCodeFor(JsonNode command, boolean waited) {
    String status = command.path("status").asText("");
    if (status.equals("completed")) {
      return ExitCodes.OK;
    }
    if (UNSUCCESSFUL.contains(status)) {
      return ExitCodes.FAILED;
    }
    return waited ? ExitCodes.STILL_RUNNING : ExitCodes.OK;
  }

  /** {@code commands run}: create one command, optionally waiting for its result. */
  @Command(
      name = "run",
      sortOptions = false,
      description = {
        "Send a command to one agent and print it.",
        "With --wait, the server holds the answer until the command is final or the wait ends.",
        "Exit 0 if it completed (or was queued, without --wait); 1 if it failed, timed out,"
            + " was cancelled or expired; 4 if --wait ended first."
      })
  static final class Run implements Callable<Integer> {

    private static final Pattern WAIT = Pattern.compile("(\\d{1,7})(ms|s|m)?");

    @Spec CommandSpec spec;

    @Option(names = "--agent", required = true, paramLabel = "ID", description = "Target agent.")
    String agent;

    @Option(
        names = "--type",
        required = true,
        paramLabel = "T",
        description = "Command type, e.g. echo, health_check, git_pull.")
    String type;

    @Option(
        names = "--param",
        paramLabel = "KEY=VALUE",
        description = {
          "A parameter (repeatable). KEY=VALUE sends a string;"
              + " KEY:=JSON sends a JSON value (KEY:=3, KEY:=true, KEY:='[1,2]')."
        })
    List<String> params = new ArrayList<>();

    @Option(
        names = "--params-json",
        paramLabel = "JSON",
        description = "All parameters as one JSON object; --param entries override its keys.")
    String paramsJson;

    @Option(names = "--priority", paramLabel = "P", description = "low, normal, high or critical.")
    String priority;

    @Option(names = "--timeout-seconds", paramLabel = "N", description = "Execution timeout.")
    Long timeoutSeconds;

    @Option(
        names = "--expires-at",
        paramLabel = "ISO",
        description = "Give up if not delivered by then, e.g. 2026-01-16T11:00:00Z.")
    String expiresAt;

    @Option(
        names = "--idempotency-key",
        paramLabel = "K",
        description = "Repeating a request with the same key returns the original command.")
    String idempotencyKey;

    @Option(
        names = "--wait",
        paramLabel = "DURATION",
        description = "Wait up to this long for the result: 30s, 1500ms, 2m (server max 2m).")
    String wait;

    @Override
    public Integer call() {
      ObjectNode body = ProtocolJson.mapper().createObjectNode();
      body.put("agent_id", agent);
      body.put("type", type);
      body.set("params", params());
      if (priority != null) {
        body.put("priority", priority);
      }
      if (timeoutSeconds != null) {
        body.put("timeout_seconds", timeoutSeconds);
      }
      if (expiresAt != null) {
        body.put("expires_at", expiresAt);
      }
      if (idempotencyKey != null) {
        body.put("idempotency_key", idempotencyKey);
      }
      Duration waitFor = wait == null ? Duration.ZERO : parseWait(wait);
      Session session = Session.of(spec);
      return session.run(
          () -> {
            String query = wait == null ? "" : CourierApi.query(Map.of("wait", wait.strip()));
            JsonNode command = session.api().post("/api/v1/commands" + query, body, waitFor);
            session.printer().object(command);
            int exit = exitCodeFor(command, wait != null);
            if (exit == ExitCodes.STILL_RUNNING) {
              session
                  .err()
                  .println(
                      "still "
                          + command.path("status").asText()
                          + " after "
                          + wait
                          + "; follow it with: ./courier cli commands get "
                          + command.path("id").asText());
            }
            return exit;
          });
    }

    private ObjectNode params() {
      ObjectNode result = ProtocolJson.mapper().createObjectNode();
      if (paramsJson != null) {
        JsonNode parsed = json(paramsJson, "--params-json");
        if (!(parsed instanceof ObjectNode object)) {
          throw usage("--params-json must be a JSON object, e.g. '{\"message\":\"hi\"}'");
        }
        result.setAll(object);
      }
      for (String param : params) {
        int eq = param.indexOf('=');
        if (eq <= 0) {
          throw usage("--param must look like KEY=VALUE or KEY:=JSON, not '" + param + "'");
        }
        String key = param.substring(0, eq);
        String value = param.substring(eq + 1);
        if (key.endsWith(":") && key.length() > 1) {
          result.set(key.substring(0, key.length() - 1), json(value, "--param " + key));
        } else {
          result.put(key, value);
        }
      }
      return result;
    }

    private JsonNode json(String text, String option) {
      try {
        return ProtocolJson.mapper().readTree(text);
      } catch (JsonProcessingException e) {
        throw usage(option + " is not valid JSON: " + e.getOriginalMessage());
      }
    }

    private Duration parseWait(String raw) {
      Matcher m = WAIT.matcher(raw.strip());
      if (!m.matches()) {
        throw usage("--wait must look like 30s, 1500ms or 2m, not '" + raw + "'");
      }
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2) == null ? "s" : m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofSeconds(amount);
      };
    }

    private ParameterException usage(String message) {
      return new ParameterException(spec.commandLine(), message);
    }
  }
}
