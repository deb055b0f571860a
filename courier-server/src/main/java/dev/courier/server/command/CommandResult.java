package dev.courier.server.command;

import java.time.Duration;

/**
 * What the agent reported when the command finished. Every field but {@code status} may be null.
 *
 * @param status the agent's own result status, as reported
 * @param metadataJson a JSON object with executor-specific details
 * @param output captured output, possibly cut at the output cap ({@code outputTruncated})
 */
public record CommandResult(
    String status,
    Integer exitCode,
    Duration duration,
    String summary,
    Integer findingsCount,
    String metadataJson,
    String output,
    boolean outputTruncated) {}
