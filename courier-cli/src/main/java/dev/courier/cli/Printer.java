package dev.courier.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.ProtocolJson;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Writes answers to standard output in the chosen {@link OutputFormat}. */
final class Printer {

  private final PrintWriter out;
  private final OutputFormat format;

  /**
   * @param format the user's {@code --output}, or null for the defaults (table for lists, JSON for
   *     single objects)
   */
  Printer(PrintWriter out, OutputFormat format) {
    this.out = out;
    this.format = format;
  }

  /** One object: pretty JSON, or aligned {@code key value} lines with {@code --output table}. */
  void object(JsonNode node) {
    if (format == OutputFormat.table) {
      int width = 0;
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        width = Math.max(width, names.next().length());
      }
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        out.println(
            field.getKey()
                + " ".repeat(width - field.getKey().length() + 2)
                + Table.text(field.getValue()));
      }
    } else {
      out.println(pretty(node));
    }
    out.flush();
  }

  /**
   * A page (or all pages) of a list: a table, or with {@code --output json} the server's shape
   * {@code {"<itemsField>": [...], "next_cursor": "..."}}.
   *
   * @param nextCursor the cursor of the following page, or null/blank when this was the last
   * @param err where to mention that more pages exist (tables only)
   */
  void list(
      String itemsField,
      ArrayNode items,
      String nextCursor,
      List<Table.Column> columns,
      PrintWriter err) {
    if (format == OutputFormat.json) {
      ObjectNode page = ProtocolJson.mapper().createObjectNode();
      page.set(itemsField, items);
      page.put("next_cursor", nextCursor == null ? "" : nextCursor);
      out.println(pretty(page));
    } else {
      new Table(columns).print(items, out);
      if (nextCursor != null && !nextCursor.isBlank()) {
        err.println("more results: add --cursor " + nextCursor + " (or --all)");
      }
    }
    out.flush();
    err.flush();
  }

  private static String pretty(JsonNode node) {
    try {
      return ProtocolJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
