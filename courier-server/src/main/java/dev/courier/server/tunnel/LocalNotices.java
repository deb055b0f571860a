package dev.courier.server.tunnel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on a notice for whatever of the session this node holds: waiters, streams. The kinds: {@code
 * ready}, {@code cmd} and {@code cmderr} (a command line's output or failure, by channel), {@code
 * out}, {@code exited} and {@code err} (the terminal's), and {@code closed}.
 */
final class LocalNotices {

  private static final Logger log = LoggerFactory.getLogger(LocalNotices.class);

  private final SessionWaiters waiters;
  private final OperatorStreams streams;
  private final AgentTerminals terminals;

  LocalNotices(SessionWaiters waiters, OperatorStreams streams, AgentTerminals terminals) {
    this.waiters = waiters;
    this.streams = streams;
    this.terminals = terminals;
  }

  void apply(String kind, String target, String data) {
    switch (kind) {
      case "ready" -> {
        waiters.ready(target);
        streams.notify(target, listener -> listener.status("ready", null));
        terminals.agentReady(target);
      }
      case "cmd" -> waiters.output(target, data);
      case "cmderr" -> waiters.failed(target, data);
      case "out" -> streams.notify(target, listener -> listener.output(data));
      case "exited" -> {
        terminals.stopped(target);
        streams.notify(
            target,
            listener ->
                listener.status(
                    "ready", "the shell exited with code " + data + "; input starts a new one"));
      }
      case "err" -> {
        terminals.stopped(target);
        streams.notify(target, listener -> listener.error(data));
      }
      case "closed" -> {
        int space = data.indexOf(' ');
        String status = data.substring(0, space);
        String reason = data.substring(space + 1);
        waiters.closed(target, reason);
        streams.notify(target, listener -> listener.status(status, reason));
        streams.forget(target);
        terminals.forget(target);
      }
      default -> log.warn("Ignoring an unknown tunnel notice {}", kind);
    }
  }
}
