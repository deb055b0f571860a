package dev.courier.server.command;

import dev.courier.protocol.CommandId;

/**
 * Tells the agent side that something changed for a command, after the change committed. The
 * WebSocket gateway pushes to a connected agent; with no connection it does nothing and the agent
 * learns at its next poll or heartbeat.
 */
public interface CommandNotifier {

  /** A command is pending for its agent. */
  void commandReady(Command command);

  /** An operator asked to stop an accepted or running command. */
  void cancelRequested(Command command);

  /** A command reached a final state (wakes {@code ?wait=} callers). */
  void commandFinished(CommandId command);
}
