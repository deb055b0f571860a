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

  /**
   * At most {@code limit} events that {@code filter} lets through with a sequence number greater
   * than {@code afterSeq}, in sequence order, filtered by the database: the events passed over are
   * never loaded. The page tells how far the read looked, so a reader moves on past them.
   */
  EventPage readAfter(long afterSeq, EventFilter filter, int limit);

  /** The highest sequence number stored so far; 0 when the outbox is empty. */
  long latestSeq();

  /**
   * Runs {@code listener} after each commit (on this node) that appended events, until the returned
   * handle is closed: the wake-up signal of live readers. Events appended by other nodes raise no
   * signal here; readers re-read on their own to see them.
   */
  AutoCloseable onAppended(Runnable listener);
}
