package dev.courier.server.events;

import java.util.List;

/**
 * The outbox that feeds server-sent events, webhooks and cross-node notices. Append inside the
 * transaction that made the change, so an event exists if and only if the change committed.
 */
public interface EventOutbox {

  /**
   * @return the sequence number assigned to the event
   */
  long append(Event event);

  /** Appends many events in one batch, as a rollout's fan-out does. */
  void appendAll(List<Event> events);

  /** Events with a sequence number greater than {@code afterSeq}, in sequence order. */
  List<Event> readAfter(long afterSeq, int limit);
}
