package dev.courier.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code agents list|get|history} over {@code /api/v1/agents}. */
@Command(
    name = "agents",
    description = "Look at enrolled agents and what they ran.",
    subcommands = CommandLine.HelpCommand.class)
final class AgentsCommand implements Callable<Integer> {

  static final List<Table.Column> COLUMNS =
      List.of(
          Table.Column.field("ID", "id"),
          Table.Column.field("HOSTNAME", "hostname"),
          Table.Column.field("STATUS", "status"),
          Table.Column.field("OS", "os"),
          Table.Column.field("VERSION", "version"),
          Table.Column.field("LAST HEARTBEAT", "last_heartbeat_at"),
          Table.Column.field("LABELS", "labels"));

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  @Command(name = "list", description = "List agents.")
  int list(
      @Option(
              names = "--status",
              paramLabel = "S",
              description = "online, offline or decommissioned.")
          String status,
      @Mixin PageOptions page) {
    Session session = Session.of(spec);
    return session.run(
        () -> {
          PageOptions.Fetched fetched =
              page.fetch(
                  session.api(), "/api/v1/agents", Map.of("status", orEmpty(status)), "agents");
          session
              .printer()
              .list("agents", fetched.items(), fetched.nextCursor(), COLUMNS, session.err());
          return ExitCodes.OK;
        });
  }

  @Command(
      name = "get",
      description = "Show one agent: status, last heartbeat, version, capabilities, counters.")
  int get(@Parameters(paramLabel = "ID", description = "The agent id.") String id) {
    Session session = Session.of(spec);
    return session.run(
        () -> {
          session.printer().object(session.api().get(path(id)));
          return ExitCodes.OK;
        });
  }

  @Command(name = "history", description = "List the commands sent to one agent, newest first.")
  int history(
      @Parameters(paramLabel = "ID", description = "The agent id.") String id,
      @Mixin PageOptions page) {
    Session session = Session.of(spec);
    return session.run(
        () -> {
          PageOptions.Fetched fetched =
              page.fetch(session.api(), path(id) + "/commands", Map.of(), "commands");
          session
              .printer()
              .list(
                  "commands",
                  fetched.items(),
                  fetched.nextCursor(),
                  CommandsCommand.COLUMNS,
                  session.err());
          return ExitCodes.OK;
        });
  }

  private static String path(String id) {
    return "/api/v1/agents/" + CourierApi.segment(id);
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
