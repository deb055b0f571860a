package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CommandOutcome;

/**
 * {@code echo}: returns its {@code message}, a round-trip and liveness check (seed 003). The
 * message is optional, as in the server's catalog, so seed 000's bare short form works too.
 */
public final class EchoExecutor implements CommandExecutor {

  public static final String TYPE = "echo";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CommandOutcome execute(CommandContext context) {
    String message;
    try {
      message = Params.of(context.params()).optionalString("message", "");
    } catch (InvalidParamException e) {
      return CommandOutcome.failed(e.getMessage());
    }
    ObjectNode metadata = Json.object();
    metadata.put("message", message);
    return CommandOutcome.completed(0, message, metadata);
  }
}
