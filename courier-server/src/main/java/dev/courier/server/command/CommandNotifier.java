package dev.courier.server.command;

import dev.courier.protocol.CommandId;
import java.util.List;

/**
 * Tells the agent side that something changed for a command, after the change committed. The
 * WebSocket gateway pushes to a connected agent; with no connection it does nothing and the agent
 * learns at its next poll or heartbeat.
 */
public interface CommandNotifier {

  /** A command is pending for its agent. */
  void commandReady(Command command);

  /**
   * A wave of pending commands, each for its own agent, announced inside the transaction that
   * creates them: what their pushes need that does not depend on the commit may be prepared now, on
   * other cores, while the transaction writes. Returns the pushes, to run once it committed.
   */
  default Runnable prepareReady(List<Command> commands) {
    return () -> commands.forEach(this::commandReady);
  }

  /** An operator asked to stop an accepted or running command. */
  void cancelRequested(Command command);

  /** A command reached a final state (wakes {@code ?wait=} callers). */
  void commandFinished(CommandId command);
}
