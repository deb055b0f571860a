package dev.courier.server.events;

import java.util.List;

/**
 * One filtered read of the outbox: the events that matched, and how far the read looked, which is
 * past the events the filter passed over. The next read starts after {@link #through}.
 *
 * @param events the matching events, in sequence order
 * @param through every event visible to the read with a sequence number up to this one was looked
 *     at (the matching ones are in {@link #events}); the read's start when it found nothing
 * @param complete whether every number in the range read belonged to a visible event. When false,
 *     some were not: an insert not yet committed (PostgreSQL shows rows at commit, not in number
 *     order), one rolled back, or another tenant's event that row-level security hides. A reader
 *     that must not miss a late commit reads such a range again for a while.
 * @param more whether the read stopped before the newest event (the page was full, or the read
 *     looks at a bounded range of numbers at a time): read again after {@link #through}
 */
public record EventPage(List<Event> events, long through, boolean complete, boolean more) {
  public EventPage {
    events = List.copyOf(events);
  }
}
