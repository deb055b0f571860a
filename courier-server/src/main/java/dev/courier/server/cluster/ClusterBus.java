package dev.courier.server.cluster;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * How server nodes sharing one database tell each other that something happened: a command for an
 * agent whose socket another node holds, a cancel, a revoked key, tunnel data. Messages are short
 * notes (ids, not bodies): the receiver reads what it needs from the database.
 *
 * <p>Semantics, the same for every implementation:
 *
 * <ul>
 *   <li>{@link #publish} reaches every node's subscribers of the topic, <b>this node's
 *       included</b>. Inside a transaction it is delivered only after that transaction commits, and
 *       dropped if it rolls back; outside one it is sent at once.
 *   <li>Delivery is at most once: a node whose connection to the bus was down misses what was
 *       published meanwhile, and is told through {@link #onReconnect} so it can catch up from the
 *       database.
 *   <li>Messages published by one thread, one after the other, arrive in that order; messages of
 *       one transaction arrive together, in order.
 *   <li>Handlers run one at a time on the bus's thread (or, in-process, on the publishing thread):
 *       keep them short and hand slow work off.
 * </ul>
 *
 * <p>On PostgreSQL this is {@code LISTEN/NOTIFY}; with SQLite there is one node and the bus is
 * in-process ({@link LocalClusterBus}).
 */
public interface ClusterBus extends AutoCloseable {

  /** Longest payload, in UTF-8 bytes (PostgreSQL's NOTIFY limit is 8000). */
  int MAX_PAYLOAD_BYTES = 7_900;

  /** Topic names: lower-case letters, digits and underscores, as a database channel needs. */
  Pattern TOPIC = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  /**
   * Sends {@code payload} to every subscriber of {@code topic} on every node, after the current
   * transaction commits.
   *
   * @throws IllegalArgumentException for a bad topic name or a payload over {@link
   *     #MAX_PAYLOAD_BYTES}
   */
  void publish(String topic, String payload);

  /**
   * Calls {@code handler} with every payload published on {@code topic} from now on. Listening is
   * active when this returns.
   */
  void subscribe(String topic, Consumer<String> handler);

  /**
   * Calls {@code catchUp} each time the bus reconnected after losing its connection: messages
   * published meanwhile are lost, so the node should re-read what they would have told it.
   */
  void onReconnect(Runnable catchUp);

  /** Whether the bus currently receives messages (false while reconnecting). */
  boolean connected();

  /** Stops listening; later publishes are refused. */
  @Override
  void close();

  /** Checks a topic and payload against the limits above. */
  static void check(String topic, String payload) {
    if (topic == null || !TOPIC.matcher(topic).matches()) {
      throw new IllegalArgumentException("bad cluster topic: " + topic);
    }
    if (payload == null) {
      throw new IllegalArgumentException("a cluster message needs a payload");
    }
    if (payload.length() > MAX_PAYLOAD_BYTES / 3
        && payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "cluster payload over " + MAX_PAYLOAD_BYTES + " bytes; send ids, not bodies");
    }
  }
}
