package dev.courier.server.tunnel;

import dev.courier.server.common.Ids;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a session leaves behind while it runs: its transcript (bounded) and its activity, which
 * keeps the idle timeout away.
 */
final class SessionRecords {

  static final int MAX_DETAIL = 64 * 1024;
  private static final Duration TOUCH_EVERY = Duration.ofSeconds(5);

  private final TunnelRepository sessions;
  private final TunnelSettings settings;
  private final Clock clock;
  private final Map<String, Instant> touched = new ConcurrentHashMap<>();
  private final AtomicLong seq = new AtomicLong();

  SessionRecords(TunnelRepository sessions, TunnelSettings settings, Clock clock) {
    this.sessions = sessions;
    this.settings = settings;
    this.clock = clock;
  }

  /** Activity, written at most every few seconds per session so output does not hammer the DB. */
  void touch(String sessionId, long bytesIn, long bytesOut) {
    Instant now = clock.instant();
    Instant last = touched.get(sessionId);
    if (last == null || !last.plus(TOUCH_EVERY).isAfter(now) || bytesIn > 0) {
      touched.put(sessionId, now);
      sessions.touch(sessionId, now, bytesIn, bytesOut, 0);
    }
  }

  /** The session's activity was just written by someone else (a command line, the agent ready). */
  void touched(String sessionId, Instant at) {
    touched.put(sessionId, at);
  }

  /** The session closed: nothing more to throttle. */
  void forget(String sessionId) {
    touched.remove(sessionId);
  }

  /**
   * Appends to the session's transcript. Output is kept up to the cap, then a marker; the rest
   * (command lines, refusals, errors, open and close) is always kept.
   */
  void record(TunnelSession session, String channel, String kind, String data, boolean always) {
    String text =
        data == null ? null : data.length() > MAX_DETAIL ? data.substring(0, MAX_DETAIL) : data;
    long bytes = text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    if (!always && !sessions.reserveTranscript(session.id(), bytes, settings.transcriptCap())) {
      if (sessions.markTranscriptTruncated(session.id())) {
        append(
            session,
            channel,
            "truncated",
            "the transcript reached its cap of "
                + settings.transcriptCap()
                + " bytes; further output is not kept (command lines still are)");
      }
      return;
    }
    append(session, channel, kind, text);
  }

  private void append(TunnelSession session, String channel, String kind, String text) {
    long next =
        seq.updateAndGet(previous -> Math.max(previous + 1, System.currentTimeMillis() * 1000));
    sessions.appendTranscript(
        new TranscriptEntry(
            Ids.newId(clock), session.id(), next, channel, kind, text, clock.instant()));
  }
}
