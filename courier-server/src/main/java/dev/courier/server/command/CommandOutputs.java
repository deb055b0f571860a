package dev.courier.server.command;

import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.server.agent.Agent;
import dev.courier.server.common.Transactions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live output of running commands: stores what agents stream, bounded per command, and wakes the
 * readers following a command on this node. Readers also re-read the store on their own, so a chunk
 * that reached another node still arrives, a moment later.
 */
public final class CommandOutputs {

  private static final Logger log = LoggerFactory.getLogger(CommandOutputs.class);

  /** The most output stored per command; past it the stream is marked truncated. */
  public static final int CAP_BYTES = 1024 * 1024;

  /** The most one chunk may carry. */
  public static final int MAX_CHUNK_BYTES = 64 * 1024;

  private static final Set<CommandStatus> STREAMING =
      EnumSet.of(CommandStatus.ACCEPTED, CommandStatus.RUNNING, CommandStatus.CANCELLING);

  private final Transactions transactions;
  private final CommandRepository commands;
  private final OutputRepository outputs;
  private final Clock clock;
  private final Map<CommandId, Set<Runnable>> followers = new ConcurrentHashMap<>();

  public CommandOutputs(
      Transactions transactions,
      CommandRepository commands,
      OutputRepository outputs,
      Clock clock) {
    this.transactions = transactions;
    this.commands = commands;
    this.outputs = outputs;
    this.clock = clock;
  }

  /**
   * Stores a chunk of the agent's own command while it runs. Chunks of finished or foreign commands
   * are dropped (the result carries the final output); so is what passes the cap, once the stream
   * is marked truncated.
   *
   * @return whether the chunk was stored
   */
  public boolean accept(Agent agent, CommandId id, long seq, String stream, String data) {
    Optional<Command> command = commands.find(id);
    if (command.isEmpty()
        || !command.get().agentId().equals(agent.id())
        || !STREAMING.contains(command.get().status())) {
      log.debug("output chunk {} of {} dropped: not a running command of this agent", seq, id);
      return false;
    }
    String text = data.length() > MAX_CHUNK_BYTES ? data.substring(0, MAX_CHUNK_BYTES) : data;
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    boolean stored =
        transactions.inTransaction(
            () -> {
              if (outputs.reserve(id, bytes, CAP_BYTES)) {
                outputs.insert(new OutputChunk(id, seq, stream, text, clock.instant()));
                return true;
              }
              outputs.markTruncated(id);
              return false;
            });
    transactions.afterCommit(() -> wake(id));
    return stored;
  }

  /** Stored chunks after {@code afterSeq}. */
  public List<OutputChunk> after(CommandId id, long afterSeq, int limit) {
    return outputs.after(id, afterSeq, limit);
  }

  public boolean truncated(CommandId id) {
    return outputs.truncated(id);
  }

  /** Runs {@code wake} whenever output of the command arrives on this node, until closed. */
  public AutoCloseable follow(CommandId id, Runnable wake) {
    followers.computeIfAbsent(id, ignored -> new CopyOnWriteArraySet<>()).add(wake);
    return () ->
        followers.computeIfPresent(
            id,
            (ignored, set) -> {
              set.remove(wake);
              return set.isEmpty() ? null : set;
            });
  }

  private void wake(CommandId id) {
    Set<Runnable> set = followers.get(id);
    if (set != null) {
      set.forEach(Runnable::run);
    }
  }
}
