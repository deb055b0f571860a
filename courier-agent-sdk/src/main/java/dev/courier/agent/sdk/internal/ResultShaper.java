package dev.courier.agent.sdk.internal;

import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Builds the wire result from an outcome: caps output and error, derives the summary. */
public final class ResultShaper {

  /** Errors and summaries are for people; longer ones are cut. */
  static final int MAX_ERROR_BYTES = 16 * 1024;

  static final int MAX_SUMMARY_CHARS = 200;

  private static final String TRUNCATED = "\n[output truncated]";

  private final int outputCapBytes;

  public ResultShaper(int outputCapBytes) {
    this.outputCapBytes = outputCapBytes;
  }

  /** A result of {@code status}, with fields from {@code outcome} when there is one. */
  public CommandResult result(
      CommandId id,
      CommandStatus status,
      CommandOutcome outcome,
      String error,
      Instant completedAt,
      long durationMs) {
    String output = outcome == null ? null : cap(outcome.output(), outputCapBytes);
    String cappedError = cap(error, MAX_ERROR_BYTES);
    return new CommandResult(
        id,
        status,
        completedAt,
        durationMs,
        outcome == null ? null : outcome.exitCode(),
        summary(status, output, cappedError),
        outcome == null ? null : outcome.findingsCount(),
        cappedError,
        outcome == null ? null : outcome.metadata(),
        output);
  }

  /** A {@code failed} result for a command that was refused without running. */
  public CommandResult refused(CommandId id, String reason, Instant at) {
    return result(id, CommandStatus.FAILED, null, reason, at, 0);
  }

  private static String summary(CommandStatus status, String output, String error) {
    String source = status == CommandStatus.COMPLETED ? output : error;
    if (source == null || source.isBlank()) {
      return null;
    }
    String line = source.strip().lines().findFirst().orElse("");
    return line.length() > MAX_SUMMARY_CHARS ? line.substring(0, MAX_SUMMARY_CHARS) : line;
  }

  /** Cuts {@code text} to at most {@code capBytes} UTF-8 bytes, marking the cut. */
  static String cap(String text, int capBytes) {
    if (text == null) {
      return null;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= capBytes) {
      return text;
    }
    int keep = Math.max(0, capBytes - TRUNCATED.length());
    // Step back to a character boundary so the cut never produces a broken code point.
    while (keep > 0 && (bytes[keep] & 0xC0) == 0x80) {
      keep--;
    }
    return new String(bytes, 0, keep, StandardCharsets.UTF_8) + TRUNCATED;
  }
}
