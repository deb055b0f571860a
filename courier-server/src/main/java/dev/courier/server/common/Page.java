package dev.courier.server.common;

import java.util.List;
import java.util.Optional;

/**
 * One page of a list, newest first.
 *
 * @param nextCursor present when more items may follow; pass it back in the next {@link
 *     PageRequest}
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  public Page {
    items = List.copyOf(items);
  }
}
