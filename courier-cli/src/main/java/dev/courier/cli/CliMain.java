package dev.courier.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code courier cli}: the operator command line. It talks to the server's operator API (DESIGN §4)
 * over HTTP; each subcommand group is one class.
 *
 * <p>Global options may be given before or after the subcommand. Exit codes are in {@link
 * ExitCodes}.
 */
@Command(
    name = "courier cli",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = CliMain.Version.class,
    sortOptions = false,
    description = "Operate a Courier server: log in, run commands on agents, manage enrollment.",
    subcommands = {
      LoginCommand.class,
      CommandsCommand.class,
      AgentsCommand.class,
      TokensCommand.class,
      AuditCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok; 1 refused by the server or the command did not complete;"
          + " 2 bad usage; 3 server unreachable; 4 --wait ended before a final state."
    })
public final class CliMain implements Callable<Integer> {

  static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

  @Option(
      names = "--server",
      paramLabel = "URL",
      scope = ScopeType.INHERIT,
      description = "Server URL (env COURIER_SERVER, default " + DEFAULT_SERVER + ").")
  String server;

  @Option(
      names = "--token",
      paramLabel = "JWT",
      scope = ScopeType.INHERIT,
      description = "Access token (env COURIER_TOKEN; else the one stored by login).")
  String token;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      scope = ScopeType.INHERIT,
      description = "json or table (default: table for lists, json for single objects).")
  OutputFormat output;

  @Spec CommandSpec spec;

  private final CliEnvironment environment;

  /** The real process environment. */
  public CliMain() {
    this(CliEnvironment.system());
  }

  /** A given environment: tests pass their own config directory, stdin and variables. */
  public CliMain(CliEnvironment environment) {
    this.environment = environment;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new CliMain()).execute(args));
  }

  CliEnvironment environment() {
    return environment;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** The version from the jar manifest ({@code dev} when run from classes). */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = CliMain.class.getPackage().getImplementationVersion();
      return new String[] {"courier cli " + (version == null ? "dev" : version)};
    }
  }
}
