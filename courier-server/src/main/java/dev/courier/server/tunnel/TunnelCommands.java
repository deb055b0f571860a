package dev.courier.server.tunnel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.frame.TunnelData;
import dev.courier.server.auth.Operator;
import dev.courier.server.error.ConflictException;
import dev.courier.server.error.InvalidInputException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Command lines sent through the API (seed 001's phase-2 {@code terminal} message): each on a
 * channel of its own, admitted, sent to the agent, and waited for until its output comes back.
 */
final class TunnelCommands {

  static final int MAX_COMMAND_LENGTH = 8 * 1024;

  private final SessionAccess access;
  private final TunnelRepository sessions;
  private final TunnelLink link;
  private final TunnelSettings settings;
  private final CommandAdmission admission;
  private final SessionRecords records;
  private final SessionWaiters waiters;
  private final AtomicLong channels = new AtomicLong();

  TunnelCommands(
      SessionAccess access,
      TunnelRepository sessions,
      TunnelLink link,
      TunnelSettings settings,
      CommandAdmission admission,
      SessionRecords records,
      SessionWaiters waiters) {
    this.access = access;
    this.sessions = sessions;
    this.link = link;
    this.settings = settings;
    this.admission = admission;
    this.records = records;
    this.waiters = waiters;
  }

  TunnelService.CommandOutcome run(
      Operator operator, String sessionId, String command, String source, String requestId) {
    TunnelSession session = access.owned(operator, sessionId, true);
    if (command == null || command.isBlank()) {
      throw new InvalidInputException("a command line is required", "command");
    }
    if (command.length() > MAX_COMMAND_LENGTH) {
      throw new InvalidInputException(
          "a command line has at most " + MAX_COMMAND_LENGTH + " characters", "command");
    }
    session = awaitReady(session);
    String channel = session.id() + ":cmd-" + channels.incrementAndGet();
    admission.admit(operator, session, channel, command, source, requestId);
    CompletableFuture<JsonNode> answer = waiters.awaitOutput(channel);
    long started = System.nanoTime();
    try {
      ObjectNode data = TunnelMessages.message("terminal");
      TunnelMessages.payload(data).put("command", command);
      if (!link.send(session.agentId(), new TunnelData(channel, data))) {
        throw new ConflictException(
            "the agent of tunnel session " + sessionId + " is not reachable", "session_id");
      }
      JsonNode output;
      try {
        output = answer.get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        records.record(
            session, channel, "error", "no output within " + settings.commandTimeout(), true);
        return new TunnelService.CommandOutcome(
            session, command, "", "", null, false, elapsed(started), true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConflictException("interrupted while waiting for the agent", "command");
      } catch (ExecutionException e) {
        throw new ConflictException(e.getCause().getMessage(), "command");
      }
      String stdout = output.path("stdout").asText("");
      String stderr = output.path("stderr").asText("");
      JsonNode exit = output.get("exit_code");
      Integer exitCode = exit == null || !exit.canConvertToInt() ? null : exit.asInt();
      boolean truncated =
          output.path("truncated").asBoolean(false)
              || stdout.contains("[truncated")
              || stderr.contains("[truncated");
      return new TunnelService.CommandOutcome(
          session, command, stdout, stderr, exitCode, truncated, elapsed(started), false);
    } finally {
      waiters.stopAwaitingOutput(channel, answer);
    }
  }

  private static long elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
  }

  /** A session just opened may not be ready yet: wait for the agent as opening does. */
  private TunnelSession awaitReady(TunnelSession session) {
    if (session.status() == TunnelStatus.READY) {
      return session;
    }
    long deadline = System.nanoTime() + settings.openWait().toNanos();
    while (System.nanoTime() < deadline) {
      TunnelSession now = sessions.find(session.id()).orElse(session);
      if (now.status() == TunnelStatus.READY) {
        return now;
      }
      if (!now.isOpen()) {
        throw new ConflictException(
            "tunnel session " + session.id() + " is " + now.status().wireName(), "session_id");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new ConflictException(
        "the agent has not answered tunnel session " + session.id() + " yet; try again",
        "session_id");
  }
}
