package dev.courier.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.config.AgentConfig;
import dev.courier.agent.config.ConfigException;
import dev.courier.agent.sdk.AgentIdentity;
import dev.courier.protocol.ProtocolJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code courier-agent status} ({@code ./courier agent status}): identity, server, connection
 * state, queue and outbox depth, read from the state directory, so it works whether the agent runs
 * or not. Exit 0 when the agent is running, 3 when it is not (as {@code systemctl status}), 1 when
 * the state directory holds no agent.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Shows what the agent using a state directory is and does.")
final class StatusCommand implements Callable<Integer> {

  static final int NOT_RUNNING = 3;

  @Spec private CommandSpec spec;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "The agent's state directory.")
  private Path stateDir;

  @Option(names = "--config", paramLabel = "FILE", description = "The agent's config file.")
  private Path configFile;

  private final Map<String, String> environment;

  StatusCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path dir;
    try {
      dir = stateDir();
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("courier-agent status: " + e.getMessage());
      return 2;
    }
    Optional<AgentIdentity> identity;
    try {
      identity = AgentIdentity.load(dir.resolve("identity.json"));
    } catch (RuntimeException e) {
      identity = Optional.empty();
    }
    Optional<JsonNode> status = readStatus(dir.resolve(StatusFile.NAME));
    if (identity.isEmpty() && status.isEmpty()) {
      out.println("no agent in " + dir + " (not enrolled, never run)");
      out.flush();
      return 1;
    }
    boolean running = status.map(StatusCommand::isLive).orElse(false);
    out.println("state dir:   " + dir);
    out.println(
        "agent:       "
            + identity
                .map(i -> i.agentId().value())
                .or(
                    () ->
                        status
                            .map(s -> s.path("agent_id"))
                            .filter(n -> n.isTextual())
                            .map(JsonNode::asText))
                .orElse("(not enrolled)"));
    out.println(
        "server:      "
            + identity
                .map(i -> i.server().toString())
                .or(
                    () ->
                        status
                            .map(s -> s.path("server"))
                            .filter(n -> n.isTextual())
                            .map(JsonNode::asText))
                .orElse("(none)"));
    if (status.isPresent()) {
      JsonNode s = status.get();
      out.println(
          "process:     "
              + (running
                  ? "running (pid " + s.path("pid").asLong() + ")"
                  : "not running (last status " + s.path("updated_at").asText() + ")"));
      out.println("version:     " + s.path("version").asText());
      out.println("mode:        " + s.path("mode").asText());
      String connection =
          s.path("mode").asText().equals("standalone")
              ? "none (standalone mode)"
              : s.path("unauthorized").asBoolean()
                  ? "refused by the server (key revoked or agent decommissioned)"
                  : s.path("connected").asBoolean()
                      ? "connected (" + s.path("transport").asText() + ")"
                      : "disconnected";
      out.println(
          "connection:  " + (running ? connection : "none (" + connection + " when last seen)"));
      out.println(
          "commands:    "
              + s.path("running").asInt()
              + " running, "
              + s.path("queued").asInt()
              + " queued");
      out.println(
          "schedules:   "
              + s.path("local_schedules").asInt()
              + " local, "
              + s.path("local_runs_waiting").asInt()
              + " run(s) waiting for upload");
    } else {
      out.println("process:     not running (no status file)");
    }
    long[] outbox = outbox(dir.resolve("outbox"));
    out.println(
        "outbox:      "
            + outbox[0]
            + " result(s) waiting for the server, "
            + outbox[1]
            + " bytes"
            + status
                .filter(s -> s.path("outbox_full").asBoolean())
                .map(s -> " (quota reached: no new commands taken)")
                .orElse(""));
    out.flush();
    return running ? 0 : NOT_RUNNING;
  }

  private Path stateDir() throws ConfigException {
    if (stateDir != null) {
      return stateDir.toAbsolutePath().normalize();
    }
    Optional<String> env = value(AgentMain.ENV_STATE_DIR);
    if (env.isPresent()) {
      return Path.of(env.get()).toAbsolutePath().normalize();
    }
    Optional<Path> config =
        Optional.ofNullable(configFile).or(() -> value(AgentMain.ENV_CONFIG).map(Path::of));
    if (config.isPresent()) {
      Optional<String> fromFile = AgentConfig.load(config.get()).text("state_dir");
      if (fromFile.isPresent()) {
        return Path.of(fromFile.get()).toAbsolutePath().normalize();
      }
    }
    return Path.of(AgentMain.DEFAULT_STATE_DIR).toAbsolutePath().normalize();
  }

  private Optional<String> value(String name) {
    return Optional.ofNullable(environment.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static Optional<JsonNode> readStatus(Path file) {
    try {
      return Files.exists(file)
          ? Optional.of(ProtocolJson.mapper().readTree(file.toFile()))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Live: the process it names exists and the file is fresh (a few write intervals). */
  private static boolean isLive(JsonNode status) {
    Optional<ProcessHandle> process = ProcessHandle.of(status.path("pid").asLong());
    Instant updated;
    try {
      updated = Instant.parse(status.path("updated_at").asText());
    } catch (RuntimeException e) {
      return false;
    }
    return process.map(ProcessHandle::isAlive).orElse(false)
        && Duration.between(updated, Instant.now()).compareTo(StatusFile.INTERVAL.multipliedBy(3))
            < 0;
  }

  /** Count and bytes of the stored results (temporary and set-aside files excluded). */
  private static long[] outbox(Path dir) {
    long[] totals = new long[2];
    if (!Files.isDirectory(dir)) {
      return totals;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files
          .filter(f -> f.getFileName().toString().endsWith(".json"))
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .forEach(
              f -> {
                totals[0]++;
                try {
                  totals[1] += Files.size(f);
                } catch (IOException e) {
                  // vanished: confirmed meanwhile
                }
              });
    } catch (IOException e) {
      // unreadable: report what was counted
    }
    return totals;
  }
}
