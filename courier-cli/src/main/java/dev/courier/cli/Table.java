package dev.courier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Left-aligned columns separated by two spaces, with an upper-case header row. */
final class Table {

  /** One column: its header and how to read a cell from an item. */
  record Column(String header, Function<JsonNode, String> value) {

    /** A column showing a top-level field, {@code -} when it is absent or null. */
    static Column field(String header, String name) {
      return new Column(header, item -> Table.text(item.path(name)));
    }
  }

  private final List<Column> columns;

  Table(List<Column> columns) {
    this.columns = List.copyOf(columns);
  }

  void print(Iterable<JsonNode> items, PrintWriter out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(columns.stream().map(Column::header).toArray(String[]::new));
    for (JsonNode item : items) {
      rows.add(columns.stream().map(column -> column.value().apply(item)).toArray(String[]::new));
    }
    int[] widths = new int[columns.size()];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** A cell: text for scalars, compact JSON for objects and arrays, {@code -} for nothing. */
  static String text(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return "-";
    }
    if (value.isContainerNode()) {
      return value.isEmpty() ? "-" : value.toString();
    }
    String text = value.asText().replace('\n', ' ');
    return text.isEmpty() ? "-" : text;
  }
}
