package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CommandOutcome;
import java.time.Duration;

/**
 * {@code restart} (seed 004): reports {@code completed} and then restarts the agent gracefully. The
 * result is stored and sent before the agent stops; other running commands get {@code
 * grace_period_seconds} (default: the agent's shutdown grace) to finish. The process then exits
 * with status {@value RestartRequests#EXIT_CODE}, which the systemd unit's {@code Restart=} policy
 * turns into a restart; without a supervisor the agent simply stops.
 */
public final class RestartExecutor implements CommandExecutor {

  public static final String TYPE = "restart";

  private final RestartRequests restarts;
  private final Duration defaultGrace;

  public RestartExecutor(RestartRequests restarts, Duration defaultGrace) {
    this.restarts = restarts;
    this.defaultGrace = defaultGrace;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CommandOutcome execute(CommandContext context) {
    Duration grace;
    try {
      Params params = Params.of(context.params());
      grace =
          params.has("grace_period_seconds")
              ? Duration.ofSeconds(params.boundedInt("grace_period_seconds", 0, 0, 3600))
              : defaultGrace;
    } catch (InvalidParamException e) {
      return CommandOutcome.failed(e.getMessage());
    }
    restarts.request("restart command " + context.commandId(), grace);
    ObjectNode metadata = Json.object();
    metadata.put("restarting", true);
    metadata.put("grace_period_seconds", grace.toSeconds());
    metadata.put("exit_code", RestartRequests.EXIT_CODE);
    return CommandOutcome.completed(
        0,
        "restarting after this result is reported (exit status "
            + RestartRequests.EXIT_CODE
            + ", restarted by the service manager)",
        metadata);
  }
}
