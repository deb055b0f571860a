package dev.courier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audit list|verify} over {@code /api/v1/audit}. */
@Command(
    name = "audit",
    description = "Read the audit trail and verify its hash chains.",
    subcommands = CommandLine.HelpCommand.class)
final class AuditCommand implements Callable<Integer> {

  static final String PATH = "/api/v1/audit";

  static final List<Table.Column> COLUMNS =
      List.of(
          Table.Column.field("SEQ", "seq"),
          Table.Column.field("TIME", "occurred_at"),
          Table.Column.field("ACTOR", "actor"),
          Table.Column.field("ACTION", "action"),
          Table.Column.field("OUTCOME", "outcome"),
          Table.Column.field("TARGET", "target"),
          Table.Column.field("FROM", "source_address"));

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  @Command(name = "list", description = "List audit records, newest first.")
  int list(
      @Option(names = "--actor", paramLabel = "A", description = "Only this actor (user:NAME).")
          String actor,
      @Option(names = "--action", paramLabel = "A", description = "Only this action.")
          String action,
      @Option(
              names = "--outcome",
              paramLabel = "O",
              description = "Only this outcome: succeeded, denied or failed.")
          String outcome,
      @Option(names = "--target", paramLabel = "PATH", description = "Only this resource.")
          String target,
      @Option(names = "--tenant", paramLabel = "ID", description = "Only this tenant's.")
          String tenant,
      @Option(names = "--from", paramLabel = "TIME", description = "At or after (ISO-8601).")
          String from,
      @Option(names = "--to", paramLabel = "TIME", description = "Before (ISO-8601).") String to,
      @Mixin PageOptions page) {
    Session session = Session.of(spec);
    return session.run(
        () -> {
          Map<String, String> filters = new LinkedHashMap<>();
          filters.put("actor", actor);
          filters.put("action", action);
          filters.put("outcome", outcome);
          filters.put("target", target);
          filters.put("tenant_id", tenant);
          filters.put("from", from);
          filters.put("to", to);
          PageOptions.Fetched fetched = page.fetch(session.api(), PATH, filters, "records");
          session
              .printer()
              .list("records", fetched.items(), fetched.nextCursor(), COLUMNS, session.err());
          return ExitCodes.OK;
        });
  }

  @Command(
      name = "verify",
      description = {
        "Check the hash chains: names every edited record and every removed one.",
        "Exits 0 when intact, 1 when any chain is broken."
      })
  int verify() {
    Session session = Session.of(spec);
    return session.run(
        () -> {
          JsonNode verdict = session.api().get(PATH + "/verify");
          if (session.format() == OutputFormat.json) {
            session.printer().object(verdict);
          } else {
            for (JsonNode chain : verdict.path("chains")) {
              String name = chain.path("tenant_id").asText("(no tenant)");
              session
                  .out()
                  .println(
                      (chain.path("intact").asBoolean() ? "intact  " : "BROKEN  ")
                          + name
                          + "  "
                          + chain.path("records").asLong()
                          + " records");
              for (JsonNode finding : chain.path("findings")) {
                session
                    .out()
                    .println(
                        "  "
                            + finding.path("kind").asText()
                            + ": "
                            + finding.path("message").asText());
              }
            }
            session.out().flush();
          }
          return verdict.path("intact").asBoolean() ? ExitCodes.OK : ExitCodes.FAILED;
        });
  }
}
