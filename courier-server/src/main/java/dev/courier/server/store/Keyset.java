package dev.courier.server.store;

import dev.courier.server.common.Cursor;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds the WHERE clause of a filtered, newest-first (time, id) keyset query and turns the rows
 * into a page. Fetches one row more than asked to know whether another page follows.
 */
final class Keyset {
  private final String timeColumn;
  private final List<String> conditions = new ArrayList<>();
  private final List<Jdbc.Binding> bindings = new ArrayList<>();

  /**
   * @param timeColumn the column the cursor orders by, with id as the tie-breaker
   */
  Keyset(String timeColumn) {
    this.timeColumn = timeColumn;
  }

  Keyset where(String condition, Jdbc.Binding binding) {
    conditions.add(condition);
    bindings.add(binding);
    return this;
  }

  /** Adds a filter only when its value is present. */
  Keyset whereIfPresent(Object value, String condition, Jdbc.Binding binding) {
    return value == null ? this : where(condition, binding);
  }

  <T> Page<T> page(
      Jdbc jdbc,
      String table,
      PageRequest request,
      Jdbc.Mapper<T> mapper,
      Function<T, Cursor> cursorOf) {
    if (request.cursor() != null) {
      Cursor after = Cursor.decode(request.cursor());
      where(
          "(" + timeColumn + " < ? OR (" + timeColumn + " = ? AND id < ?))",
          p -> p.instant(after.createdAt()).instant(after.createdAt()).string(after.id()));
    }
    String sql =
        "SELECT * FROM "
            + table
            + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
            + " ORDER BY "
            + timeColumn
            + " DESC, id DESC LIMIT ?";
    List<T> rows =
        jdbc.query(
            sql,
            p -> {
              for (Jdbc.Binding binding : bindings) {
                binding.bind(p);
              }
              p.integer(request.limit() + 1);
            },
            mapper);
    if (rows.size() <= request.limit()) {
      return new Page<>(rows, Optional.empty());
    }
    List<T> items = rows.subList(0, request.limit());
    return new Page<>(items, Optional.of(cursorOf.apply(items.getLast()).encode()));
  }
}
