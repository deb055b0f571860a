package dev.courier.server.tunnel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator streams attached on this node, per session, and since when a session has had none
 * (the sweep closes it when nobody came back).
 */
final class OperatorStreams {

  private static final Logger log = LoggerFactory.getLogger(OperatorStreams.class);

  /**
   * How long a session whose last operator stream dropped stays open for the operator to come back:
   * a browser reload or a network blip must not kill the shell.
   */
  static final Duration REATTACH_GRACE = Duration.ofSeconds(30);

  private final Clock clock;
  private final Map<String, Set<TunnelService.Stream>> streams = new ConcurrentHashMap<>();
  private final Map<String, Instant> streamlessSince = new ConcurrentHashMap<>();

  OperatorStreams(Clock clock) {
    this.clock = clock;
  }

  void add(TunnelService.Stream stream) {
    streamlessSince.remove(stream.sessionId());
    streams.computeIfAbsent(stream.sessionId(), id -> new CopyOnWriteArraySet<>()).add(stream);
  }

  /** The stream went away; when it was the session's last, its grace starts now. */
  void remove(TunnelService.Stream stream) {
    Set<TunnelService.Stream> attached = streams.get(stream.sessionId());
    if (attached == null) {
      return;
    }
    attached.remove(stream);
    if (attached.isEmpty()) {
      streams.remove(stream.sessionId(), attached);
      streamlessSince.put(stream.sessionId(), clock.instant());
    }
  }

  boolean any(String sessionId) {
    return streams.containsKey(sessionId);
  }

  /** The session ended: its streams were told and are dropped. */
  void forget(String sessionId) {
    streams.remove(sessionId);
  }

  /** The session closed here: there is no grace to wait out any more. */
  void forgetStreamless(String sessionId) {
    streamlessSince.remove(sessionId);
  }

  /** Tells every stream of the session; one that fails does not keep the others from hearing. */
  void notify(String sessionId, Consumer<TunnelListener> action) {
    Set<TunnelService.Stream> attached = streams.get(sessionId);
    if (attached == null) {
      return;
    }
    for (TunnelService.Stream stream : attached) {
      try {
        action.accept(stream.listener());
      } catch (RuntimeException e) {
        log.debug("Telling a tunnel stream of session {} failed: {}", sessionId, e.toString());
      }
    }
  }

  /**
   * Hands each session whose last stream dropped more than {@link #REATTACH_GRACE} ago, without one
   * attached since, to {@code close} once.
   *
   * @return how many {@code close} closed
   */
  int closeAbandoned(Instant now, Predicate<String> close) {
    int closed = 0;
    for (Map.Entry<String, Instant> entry : streamlessSince.entrySet()) {
      String sessionId = entry.getKey();
      if (streams.containsKey(sessionId)
          || entry.getValue().plus(REATTACH_GRACE).isAfter(now)
          || !streamlessSince.remove(sessionId, entry.getValue())) {
        continue;
      }
      if (close.test(sessionId)) {
        closed++;
      }
    }
    return closed;
  }
}
