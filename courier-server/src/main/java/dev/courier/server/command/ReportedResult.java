package dev.courier.server.command;

import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.http.HeartbeatCommandResult;
import dev.courier.protocol.http.ResultReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A final result as an agent reported it, on any protocol, with its output cut to the stored cap.
 *
 * @param status one of completed, failed, timed_out, cancelled
 */
public record ReportedResult(CommandStatus status, CommandResult result, String error) {

  /** The most output kept with a result; the rest is dropped and the result marked truncated. */
  public static final int MAX_STORED_OUTPUT_BYTES = 256 * 1024;

  public ReportedResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(result, "result");
  }

  /** From the HTTP result body or the {@code command_result} frame (same fields). */
  public static ReportedResult from(ResultReport report) {
    Output output = Output.capped(report.output());
    return new ReportedResult(
        report.status(),
        new CommandResult(
            report.status().wireName(),
            report.exitCode(),
            report.durationMs() == null
                ? null
                : Duration.ofMillis(Math.max(0, report.durationMs())),
            report.summary(),
            report.findingsCount(),
            report.metadata() == null ? null : report.metadata().toString(),
            output.text(),
            output.truncated()),
        report.error());
  }

  /** From one item of a seed 000 heartbeat's {@code command_results}. */
  public static ReportedResult from(HeartbeatCommandResult item) {
    Output output = Output.capped(item.output());
    return new ReportedResult(
        item.status(),
        new CommandResult(
            item.status().wireName(),
            item.exitCode(),
            item.durationMs() == null ? null : Duration.ofMillis(Math.max(0, item.durationMs())),
            item.resultSummary(),
            null,
            item.metadata() == null ? null : item.metadata().toString(),
            output.text(),
            output.truncated()),
        item.error());
  }

  private record Output(String text, boolean truncated) {
    static Output capped(String output) {
      if (output == null) {
        return new Output(null, false);
      }
      byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
      if (bytes.length <= MAX_STORED_OUTPUT_BYTES) {
        return new Output(output, false);
      }
      // Cutting bytes may split a character; decoding replaces the fragment, which is acceptable at
      // a cut.
      return new Output(
          new String(bytes, 0, MAX_STORED_OUTPUT_BYTES, StandardCharsets.UTF_8), true);
    }
  }
}
