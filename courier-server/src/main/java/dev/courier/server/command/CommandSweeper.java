package dev.courier.server.command;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own clock-driven transitions: pending commands past their expiry become {@code
 * expired}; commands whose agent went silent past timeout plus grace become {@code timed_out}. Each
 * sweep handles a bounded batch so one run never holds the database for long.
 */
public final class CommandSweeper {

  private static final Logger log = LoggerFactory.getLogger(CommandSweeper.class);
  static final int BATCH = 500;

  private final CommandRepository commands;
  private final CommandTransitions transitions;
  private final CommandNotifier notifier;
  private final Duration timeoutGrace;
  private final Clock clock;

  public CommandSweeper(
      CommandRepository commands,
      CommandTransitions transitions,
      CommandNotifier notifier,
      Duration timeoutGrace,
      Clock clock) {
    this.commands = commands;
    this.transitions = transitions;
    this.notifier = notifier;
    this.timeoutGrace = timeoutGrace;
    this.clock = clock;
  }

  /**
   * @return how many commands expired
   */
  public int expireOverdue() {
    Instant now = clock.instant();
    int expired = 0;
    for (Command command : commands.findExpiredPending(now, BATCH)) {
      if (transitions.apply(command, CommandEvent.EXPIRE, now).isPresent()) {
        expired++;
        notifier.commandFinished(command.id());
      }
    }
    if (expired > 0) {
      log.info("Expired {} undelivered command(s)", expired);
    }
    return expired;
  }

  /**
   * @return how many commands timed out
   */
  public int timeOutOverdue() {
    Instant now = clock.instant();
    int timedOut = 0;
    for (Command command : commands.findOverdueInFlight(now, timeoutGrace, BATCH)) {
      String error =
          "no result from the agent within the timeout of "
              + command.timeout().toSeconds()
              + " s plus "
              + timeoutGrace.toSeconds()
              + " s grace";
      if (transitions.apply(command, CommandEvent.TIME_OUT, now, null, error).isPresent()) {
        timedOut++;
        notifier.commandFinished(command.id());
      }
    }
    if (timedOut > 0) {
      log.info("Timed out {} command(s) whose agent stayed silent", timedOut);
    }
    return timedOut;
  }
}
