package dev.courier.server.tunnel;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of tunnel sessions.
 *
 * @param idleTimeout a session with no command, input or output for this long is closed
 * @param maxDuration a session is closed this long after it opened, however busy
 * @param maxSessionsPerUser open sessions one user may hold at once, across agents
 * @param commandsPerMinute command lines one user may send per minute (API and stream together)
 * @param commandBurst how many of those may come at once
 * @param transcriptCap bytes of transcript kept per session; past it a marker, then lines only
 * @param openWait how long opening waits for the agent's {@code tunnel_ready}
 * @param commandTimeout how long {@code POST .../command} waits for the output (the agent's own
 *     timeout is 60 s by default; this is that plus 5 s)
 * @param nodeLiveness a session whose node has not vouched for it this long is closed
 */
public record TunnelSettings(
    Duration idleTimeout,
    Duration maxDuration,
    int maxSessionsPerUser,
    int commandsPerMinute,
    int commandBurst,
    long transcriptCap,
    Duration openWait,
    Duration commandTimeout,
    Duration nodeLiveness) {

  public TunnelSettings {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(maxDuration, "maxDuration");
    Objects.requireNonNull(openWait, "openWait");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(nodeLiveness, "nodeLiveness");
  }

  public static TunnelSettings defaults() {
    return new TunnelSettings(
        Duration.ofMinutes(15),
        Duration.ofHours(8),
        3,
        60,
        20,
        1024 * 1024,
        Duration.ofSeconds(10),
        Duration.ofSeconds(65),
        Duration.ofSeconds(60));
  }

  /** These settings with the limits an administrator configures. */
  public TunnelSettings withLimits(
      Duration idle, Duration max, int sessionsPerUser, int perMinute, long transcript) {
    return new TunnelSettings(
        idle,
        max,
        sessionsPerUser,
        perMinute,
        commandBurst,
        transcript,
        openWait,
        commandTimeout,
        nodeLiveness);
  }

  public TunnelSettings withCommandTimeout(Duration timeout) {
    return new TunnelSettings(
        idleTimeout,
        maxDuration,
        maxSessionsPerUser,
        commandsPerMinute,
        commandBurst,
        transcriptCap,
        openWait,
        timeout,
        nodeLiveness);
  }
}
