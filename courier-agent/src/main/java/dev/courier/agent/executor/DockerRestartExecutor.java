package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.agent.sdk.ProcessResult;
import dev.courier.protocol.CommandStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code docker_restart} (seed 003): {@code docker restart <container_name>} for a container named
 * in {@code --docker-containers}, exactly (no patterns). The {@code docker} program is the one
 * configured ({@code --docker-binary}, default {@code docker} on the agent's {@code PATH}); the
 * command's timeout (60 s by default in the server's catalog) bounds it and its output is capped at
 * the agent's output cap.
 */
public final class DockerRestartExecutor implements CommandExecutor {

  public static final String TYPE = "docker_restart";

  private final Set<String> allowed;
  private final String dockerBinary;
  private final Executables path;

  public DockerRestartExecutor(Set<String> allowed, String dockerBinary, Executables path) {
    this.allowed = Set.copyOf(allowed);
    this.dockerBinary = dockerBinary;
    this.path = path;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CommandOutcome execute(CommandContext context) throws InterruptedException {
    String name;
    try {
      name = Params.of(context.params()).requiredString("container_name");
    } catch (InvalidParamException e) {
      return CommandOutcome.failed(e.getMessage());
    }
    if (!ExecutorSettings.CONTAINER_NAME.matcher(name).matches()) {
      return CommandOutcome.failed("params.container_name is not a valid container name");
    }
    if (allowed.isEmpty()) {
      return CommandOutcome.failed(
          "params.container_name is refused: this agent allows no containers"
              + " (configure --docker-containers)");
    }
    if (!allowed.contains(name)) {
      return CommandOutcome.failed(
          "params.container_name is refused: '"
              + name
              + "' is not in the allowed containers "
              + new TreeSet<>(allowed));
    }
    Optional<Path> docker = path.find(dockerBinary);
    if (docker.isEmpty()) {
      return CommandOutcome.failed(
          "docker is not installed: no executable '"
              + dockerBinary
              + "'"
              + (dockerBinary.contains("/") ? "" : " on PATH " + path)
              + " (configure --docker-binary)");
    }
    ProcessResult result;
    try {
      result = Processes.run(context, List.of(docker.get().toString(), "restart", name), null);
    } catch (IOException e) {
      return CommandOutcome.failed("cannot run " + docker.get() + ": " + e.getMessage());
    }
    Optional<CommandOutcome> stopped = Processes.stopped(result, "docker restart");
    if (stopped.isPresent()) {
      return stopped.get();
    }
    ObjectNode metadata = Json.object();
    metadata.put("container_name", name);
    metadata.put("restarted", result.succeeded());
    String output = Processes.combined(result);
    if (!result.succeeded()) {
      return new CommandOutcome(
          CommandStatus.FAILED,
          result.exitCode(),
          output,
          "docker restart "
              + name
              + " failed (exit "
              + result.exitCode()
              + ")"
              + Processes.because(result),
          null,
          metadata);
    }
    return CommandOutcome.completed(result.exitCode(), output, metadata);
  }
}
