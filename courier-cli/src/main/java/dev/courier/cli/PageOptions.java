package dev.courier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.courier.protocol.ProtocolJson;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code --limit}, {@code --cursor} and {@code --all} for the keyset-paginated lists, and the loop
 * that follows {@code next_cursor}.
 */
final class PageOptions {

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Items per page, 1 to 1000 (server default 50).")
  Integer limit;

  @Option(
      names = "--cursor",
      paramLabel = "C",
      description = "Start at this page (the next_cursor of the previous one).")
  String cursor;

  @Option(names = "--all", description = "Follow next_cursor until the last page.")
  boolean all;

  /** Items of one page, or of every page with {@code --all}, and the cursor after them. */
  record Fetched(ArrayNode items, String nextCursor) {}

  /**
   * Fetches {@code path} with {@code filters} plus the paging parameters.
   *
   * @param itemsField the array in each page, e.g. {@code commands}
   */
  Fetched fetch(CourierApi api, String path, Map<String, String> filters, String itemsField) {
    ArrayNode items = ProtocolJson.mapper().createArrayNode();
    Set<String> seen = new HashSet<>();
    String next = cursor;
    do {
      Map<String, String> query = new LinkedHashMap<>(filters);
      if (limit != null) {
        query.put("limit", limit.toString());
      }
      query.put("cursor", next);
      JsonNode page = api.get(path + CourierApi.query(query));
      page.path(itemsField).forEach(items::add);
      next = page.path("next_cursor").asText("");
      // A server bug that repeats a cursor must not make --all loop forever.
    } while (all && !next.isBlank() && seen.add(next));
    return new Fetched(items, next.isBlank() ? null : next);
  }
}
