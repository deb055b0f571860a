package dev.courier.server.agent;

import dev.courier.protocol.AgentId;

/**
 * The unfinished commands of one agent, as decommissioning needs them ended. Implemented by the
 * command side, so this package does not depend on the command lifecycle.
 */
@FunctionalInterface
public interface AgentQueue {

  /**
   * Cancels every unfinished command of the agent: pending ones end {@code cancelled}, accepted or
   * running ones become {@code cancelling} and a connected agent is told to stop them. Each
   * transition commits with its event.
   */
  Cancelled cancelAll(AgentId agent);

  /**
   * What cancelling the queue did.
   *
   * @param cancelled commands that ended {@code cancelled} at once (they were pending)
   * @param cancelling commands that were accepted or running and are now {@code cancelling}
   */
  record Cancelled(int cancelled, int cancelling) {}
}
