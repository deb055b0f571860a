package dev.courier.server.tunnel;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of a session's transcript (the tunnel_audit table): what was asked and what came back,
 * for auditors to replay.
 *
 * @param seq orders a session's rows (several can share a millisecond)
 * @param channel {@code session}, {@code <session>:terminal} or {@code <session>:cmd-<n>}
 * @param kind {@code open}, {@code ready}, {@code command} (a command line, sent or typed), {@code
 *     denied} (a line the policy or the rate limit refused), {@code output}, {@code error}, {@code
 *     truncated} (the cap was reached: nothing more is kept but command lines and the close),
 *     {@code close}
 */
public record TranscriptEntry(
    String id, String sessionId, long seq, String channel, String kind, String data, Instant at) {

  public TranscriptEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
  }
}
