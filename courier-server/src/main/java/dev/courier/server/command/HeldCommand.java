package dev.courier.server.command;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * A command a group commit's batch has moved with a guarded write or locked to move it. Until the
 * batch commits it holds the row (SQLite's one write lock, PostgreSQL's row lock), so nobody else
 * can move it: the batch's moves of it are worked out here, from {@link CommandLifecycle}, and
 * written once just before it commits, instead of each paying a guarded write of its own. One held
 * from what this node remembered ({@link #remembered}) holds nothing until its first write, which
 * checks the status it started from.
 */
final class HeldCommand {

  private final MovedCommand command;
  private CommandStatus status;
  private SettledCommand unwritten;

  /** The status the row must still be in for the first write to apply; null once held for sure. */
  private CommandStatus expected;

  /**
   * @param command whose command it is and what
   * @param status the status its row is in now
   */
  HeldCommand(MovedCommand command, CommandStatus status) {
    this.command = command;
    this.status = status;
  }

  /**
   * A command held from what this node remembered of it ({@link RememberedCommands}), without a
   * read or a lock: its first write applies only if the row is still in {@code command.from()}.
   */
  static HeldCommand remembered(MovedCommand command) {
    HeldCommand held = new HeldCommand(command, command.from());
    held.expected = command.from();
    return held;
  }

  /**
   * Moves the command for {@code event}, like the guarded write would: empty if the command is not
   * {@code addressedTo}'s (when not null) or its status does not allow the event.
   *
   * @return the command as moved, with the status it left
   */
  Optional<MovedCommand> move(
      AgentId addressedTo, CommandEvent event, Instant at, CommandResult result, String error) {
    if (addressedTo != null && !addressedTo.equals(command.agentId())) {
      return Optional.empty();
    }
    Optional<CommandStatus> next = CommandLifecycle.next(status, event);
    if (next.isEmpty()) {
      return Optional.empty();
    }
    CommandStatus from = status;
    CommandStatus to = next.get();
    unwritten =
        unwritten == null
            ? SettledCommand.first(command.id(), from, to, at, result, error, expected)
            : unwritten.then(to, at, result, error);
    status = to;
    return Optional.of(command.leaving(from));
  }

  /**
   * The write that brings the row up to date with the moves made here since the last one, if any;
   * from then on the row counts as written.
   */
  Optional<SettledCommand> takeUnwritten() {
    Optional<SettledCommand> write = Optional.ofNullable(unwritten);
    if (unwritten != null) {
      // Once written the row is this batch's (its row lock, SQLite's write lock) until it commits.
      expected = null;
    }
    unwritten = null;
    return write;
  }

  /**
   * Whether the command is held from memory and no write has yet confirmed the status remembered.
   */
  boolean unconfirmed() {
    return expected != null;
  }

  /** The command as it stands now, about to leave its current status. */
  MovedCommand now() {
    return command.leaving(status);
  }

  CommandStatus status() {
    return status;
  }
}
