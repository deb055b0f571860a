package dev.courier.server.common;

/**
 * Asks for one page of a keyset-paginated list.
 *
 * @param cursor the opaque cursor from the previous {@link Page}, or null for the first page
 * @param limit at most this many items, 1 to 1000
 */
public record PageRequest(String cursor, int limit) {
  public static final int MAX_LIMIT = 1000;

  public PageRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }

  public static PageRequest first(int limit) {
    return new PageRequest(null, limit);
  }
}
