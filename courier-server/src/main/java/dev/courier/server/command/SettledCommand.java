package dev.courier.server.command;

import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The moves a group commit's batch made of a command it already holds (see {@link HeldCommand}), as
 * one write: the status they ended in and the one the last of them left, when the command entered
 * each status, and the result and error they brought. The store sets the columns each move would
 * have set through {@link CommandRepository#move}.
 *
 * @param entered each status the moves entered, with when
 * @param expected the status the row must still be in for this write to apply, when the batch holds
 *     the command from what this node remembered rather than from a lock or a write of its own (see
 *     {@link RememberedCommands}); null otherwise
 */
public record SettledCommand(
    CommandId id,
    CommandStatus status,
    CommandStatus previous,
    Map<CommandStatus, Instant> entered,
    CommandResult result,
    String error,
    CommandStatus expected) {

  public SettledCommand {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(previous, "previous");
    if (!entered.containsKey(status)) {
      throw new IllegalArgumentException("the final status " + status + " was never entered");
    }
    entered = Collections.unmodifiableMap(new EnumMap<>(entered));
  }

  /**
   * The first move, from {@code from} to {@code to} at {@code at}; {@code expected} as in the
   * record.
   */
  static SettledCommand first(
      CommandId id,
      CommandStatus from,
      CommandStatus to,
      Instant at,
      CommandResult result,
      String error,
      CommandStatus expected) {
    return new SettledCommand(id, to, from, Map.of(to, at), result, error, expected);
  }

  /** These moves and one more, from the status they ended in; a later result or error wins. */
  SettledCommand then(CommandStatus to, Instant at, CommandResult newResult, String newError) {
    Map<CommandStatus, Instant> all = new EnumMap<>(entered);
    all.put(to, at);
    return new SettledCommand(
        id,
        to,
        status,
        all,
        newResult != null ? newResult : result,
        newError != null ? newError : error,
        expected);
  }

  /** When the last move happened: the row's {@code updated_at}. */
  public Instant updatedAt() {
    return entered.get(status);
  }
}
