package dev.courier.server.command;

import static dev.courier.protocol.CommandStatus.ACCEPTED;
import static dev.courier.protocol.CommandStatus.CANCELLED;
import static dev.courier.protocol.CommandStatus.CANCELLING;
import static dev.courier.protocol.CommandStatus.COMPLETED;
import static dev.courier.protocol.CommandStatus.EXPIRED;
import static dev.courier.protocol.CommandStatus.FAILED;
import static dev.courier.protocol.CommandStatus.PENDING;
import static dev.courier.protocol.CommandStatus.RUNNING;
import static dev.courier.protocol.CommandStatus.TIMED_OUT;

import dev.courier.protocol.CommandStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command state machine of DESIGN §2 as one table: for each event, which states it may leave
 * and where each goes. Every write derives its guarded {@code WHERE status IN (...)} from here, so
 * the rules exist once. Terminal states appear as no source: they never change.
 */
public final class CommandLifecycle {

  private static final Map<CommandEvent, Map<CommandStatus, CommandStatus>> TABLE =
      new EnumMap<>(CommandEvent.class);

  static {
    on(CommandEvent.ACCEPT, PENDING, ACCEPTED);
    on(CommandEvent.START, ACCEPTED, RUNNING);
    // An agent may finish without a separate "running" report, and may still finish while a cancel
    // is
    // on its way: its own final result wins (DESIGN §2).
    for (CommandStatus from : EnumSet.of(ACCEPTED, RUNNING, CANCELLING)) {
      on(CommandEvent.COMPLETE, from, COMPLETED);
      on(CommandEvent.FAIL, from, FAILED);
      on(CommandEvent.TIME_OUT, from, TIMED_OUT);
      on(CommandEvent.CONFIRM_CANCELLED, from, CANCELLED);
    }
    // An agent that refuses an envelope it polled (bad signature, expired) fails it before
    // acknowledging.
    on(CommandEvent.FAIL, PENDING, FAILED);
    on(CommandEvent.CANCEL, PENDING, CANCELLED);
    on(CommandEvent.CANCEL, ACCEPTED, CANCELLING);
    on(CommandEvent.CANCEL, RUNNING, CANCELLING);
    on(CommandEvent.EXPIRE, PENDING, EXPIRED);
  }

  private CommandLifecycle() {}

  private static void on(CommandEvent event, CommandStatus from, CommandStatus to) {
    TABLE.computeIfAbsent(event, e -> new EnumMap<>(CommandStatus.class)).put(from, to);
  }

  /**
   * Where {@code event} takes a command in {@code current}, or empty if it is not allowed there.
   */
  public static Optional<CommandStatus> next(CommandStatus current, CommandEvent event) {
    return Optional.ofNullable(TABLE.getOrDefault(event, Map.of()).get(current));
  }

  /**
   * The targets {@code event} can reach, each with the states it may come from: the input for
   * guarded updates. Most events have one target; {@code CANCEL} has two (cancelled at once, or
   * cancelling).
   */
  public static Map<CommandStatus, Set<CommandStatus>> transitions(CommandEvent event) {
    Map<CommandStatus, Set<CommandStatus>> byTarget = new EnumMap<>(CommandStatus.class);
    TABLE
        .getOrDefault(event, Map.of())
        .forEach(
            (from, to) ->
                byTarget.computeIfAbsent(to, t -> EnumSet.noneOf(CommandStatus.class)).add(from));
    byTarget.replaceAll((to, from) -> Collections.unmodifiableSet(from));
    return Collections.unmodifiableMap(byTarget);
  }

  /** The event an agent's reported final status stands for. */
  public static CommandEvent resultEvent(CommandStatus reported) {
    return switch (reported) {
      case COMPLETED -> CommandEvent.COMPLETE;
      case FAILED -> CommandEvent.FAIL;
      case TIMED_OUT -> CommandEvent.TIME_OUT;
      case CANCELLED -> CommandEvent.CONFIRM_CANCELLED;
      case PENDING, ACCEPTED, RUNNING, CANCELLING, EXPIRED ->
          throw new IllegalArgumentException(reported.wireName() + " is not a result status");
    };
  }
}
