package dev.courier.server.agent;

import dev.courier.protocol.AgentId;
import java.time.Instant;

/**
 * Commands of one agent that finished, to add to its health counters.
 *
 * @param at when the latest of them finished
 */
public record FinishedCommands(AgentId agentId, int succeeded, int failed, Instant at) {

  /** One finished command. */
  public static FinishedCommands one(AgentId agentId, boolean succeeded, Instant at) {
    return new FinishedCommands(agentId, succeeded ? 1 : 0, succeeded ? 0 : 1, at);
  }

  /** These and {@code more} of the same agent. */
  public FinishedCommands plus(FinishedCommands more) {
    return new FinishedCommands(
        agentId,
        succeeded + more.succeeded,
        failed + more.failed,
        more.at.isAfter(at) ? more.at : at);
  }
}
