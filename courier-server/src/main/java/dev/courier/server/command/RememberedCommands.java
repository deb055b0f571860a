package dev.courier.server.command;

import dev.courier.protocol.CommandId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node's group commit learned of the commands it moved and left unfinished: whose each
 * is, what it is and the status it left it in, as committed. A later batch that moves such a
 * command again (an agent's {@code running} and result, a round trip after its acceptance) holds it
 * from here instead of reading and locking its row first, which on PostgreSQL is a round trip per
 * command on the writer. Its write then applies only if the row is still in that status ({@link
 * SettledCommand#expected}); when another node or transaction moved it meanwhile, the batch forgets
 * it and runs again, and the move reads the row as before.
 *
 * <p>Bounded: a command is forgotten when it finishes or is moved on this node outside a batch, but
 * one whose agent went away, or went on with another node, would stay. So at {@link #CAPACITY} it
 * forgets everything and starts again; what that costs is the read it saves, once per command then
 * in flight.
 */
final class RememberedCommands {

  /** Commands remembered at most: a few times the largest fan-out in flight on one node. */
  static final int CAPACITY = 100_000;

  private final Map<CommandId, MovedCommand> byId = new ConcurrentHashMap<>();

  /** Remembers {@code command} in the status it is about to leave ({@link MovedCommand#from}). */
  void remember(MovedCommand command) {
    if (byId.size() >= CAPACITY && !byId.containsKey(command.id())) {
      byId.clear();
    }
    byId.put(command.id(), command);
  }

  /** What is remembered of {@code id}, which is then forgotten: a batch holds it from here on. */
  Optional<MovedCommand> take(CommandId id) {
    return Optional.ofNullable(byId.remove(id));
  }

  void forget(CommandId id) {
    byId.remove(id);
  }

  int size() {
    return byId.size();
  }
}
