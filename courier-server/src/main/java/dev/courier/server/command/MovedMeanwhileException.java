package dev.courier.server.command;

import dev.courier.protocol.CommandId;
import java.util.List;

/**
 * A group commit's batch held commands from memory ({@link RememberedCommands}) that someone else
 * moved in the meantime: its writes of them did not apply, so the batch must not commit. The group
 * commit then runs each of its items again, alone, and those read the rows.
 */
final class MovedMeanwhileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MovedMeanwhileException(List<CommandId> commands) {
    super(
        commands.size()
            + " command(s) held from memory moved meanwhile, first "
            + commands.get(0).value());
  }
}
