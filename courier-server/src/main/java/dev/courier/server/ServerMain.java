package dev.courier.server;

import dev.courier.server.config.ConfigException;
import dev.courier.server.config.ConfigLoader;
import dev.courier.server.config.ServerConfig;
import dev.courier.server.config.Setting;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** {@code courier server}: parses flags, loads the configuration, runs the server until SIGTERM. */
public final class ServerMain {

  private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

  static final int EXIT_BAD_CONFIG = 2;
  static final int EXIT_START_FAILED = 1;

  private ServerMain() {}

  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(commandSpec());
    ParseResult parsed;
    try {
      parsed = commandLine.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      System.err.println("courier server: " + e.getMessage());
      commandLine.usage(new PrintWriter(System.err, true));
      System.exit(EXIT_BAD_CONFIG);
      return;
    }
    if (CommandLine.printHelpIfRequested(parsed)) {
      return;
    }
    ServerConfig config;
    try {
      config = new ConfigLoader(flagValues(parsed), System.getenv()).load();
    } catch (ConfigException e) {
      System.err.println("courier server: invalid configuration: " + e.getMessage());
      System.exit(EXIT_BAD_CONFIG);
      return;
    }
    run(config);
  }

  private static void run(ServerConfig config) {
    CourierServer server;
    try {
      server = CourierServer.start(config);
    } catch (RuntimeException e) {
      log.error("Courier could not start: {}", e.getMessage(), e);
      System.exit(EXIT_START_FAILED);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "courier-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static CommandSpec commandSpec() {
    CommandSpec spec = CommandSpec.create().name("courier server").mixinStandardHelpOptions(true);
    spec.usageMessage()
        .description(
            "Starts the Courier server. Every flag can also be set as a COURIER_* environment "
                + "variable or in the --config file; flags win over the environment, which wins "
                + "over the file.");
    for (Setting setting : Setting.values()) {
      setting
          .flag()
          .ifPresent(
              flag ->
                  spec.addOption(
                      OptionSpec.builder(flag)
                          .paramLabel(setting.fileKey().toUpperCase().replace('-', '_'))
                          .type(String.class)
                          .description(
                              setting.description()
                                  + " Env: "
                                  + setting.envName()
                                  + setting.defaultValue().map(d -> ". Default: " + d).orElse(""))
                          .build()));
    }
    return spec;
  }

  static Map<Setting, String> flagValues(ParseResult parsed) {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    for (Setting setting : Setting.values()) {
      setting
          .flag()
          .filter(parsed::hasMatchedOption)
          .ifPresent(flag -> values.put(setting, parsed.matchedOptionValue(flag, "")));
    }
    return values;
  }
}
