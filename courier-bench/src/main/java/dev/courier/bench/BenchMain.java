package dev.courier.bench;

import dev.courier.bench.benchmarks.AgentFootprintBenchmark;
import dev.courier.bench.benchmarks.CapacityBenchmark;
import dev.courier.bench.benchmarks.FanoutBenchmark;
import dev.courier.bench.benchmarks.LatencyBenchmark;
import dev.courier.bench.benchmarks.ReconnectBenchmark;
import dev.courier.bench.benchmarks.StartupBenchmark;
import dev.courier.bench.benchmarks.ThroughputBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code courier bench <name>}: runs one benchmark; with no name, lists them. */
@Command(
    name = "courier bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures Courier against a simulated fleet on this machine. Each benchmark prints its",
      "figures and a baseline measured in the same run, and writes them as JSON",
      "(default: courier-bench/results/). Figures are reported, never judged."
    },
    subcommands = {
      LatencyBenchmark.class,
      FanoutBenchmark.class,
      ThroughputBenchmark.class,
      CapacityBenchmark.class,
      ReconnectBenchmark.class,
      AgentFootprintBenchmark.class,
      StartupBenchmark.class
    })
public final class BenchMain implements Callable<Integer> {

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    // Before any logger exists: the bench's own quiet configuration, not the server's.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "courier-bench-logback.xml");
    }
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (tests call this). */
  public static int run(String... args) {
    return new CommandLine(new BenchMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    cl.getOut()
        .println(
            "Usage: ./courier bench <name> [--agents N] [--db sqlite|postgres] [--json FILE] [--quick]");
    cl.getOut().println();
    cl.getOut().println("Benchmarks:");
    cl.getSubcommands()
        .forEach(
            (name, sub) ->
                cl.getOut()
                    .printf(
                        "  %-16s %s%n",
                        name, String.join(" ", sub.getCommandSpec().usageMessage().description())));
    cl.getOut().println();
    cl.getOut().println("./courier bench <name> --help lists a benchmark's own options.");
    cl.getOut().flush();
    return 0;
  }
}
