package dev.courier.server.http;

import dev.courier.protocol.CommandStatus;
import dev.courier.server.common.Cursor;
import dev.courier.server.common.PageRequest;
import dev.courier.server.error.InvalidInputException;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Query-string parsing with errors that name the parameter. */
final class QueryParams {

  static final int DEFAULT_PAGE = 50;

  private QueryParams() {}

  static Optional<Integer> integer(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(raw.trim()));
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name + " must be a whole number", name);
    }
  }

  static CommandStatus status(String raw) {
    try {
      return CommandStatus.fromWire(raw);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("unknown status '" + raw + "'", "status");
    }
  }

  static Optional<Instant> since(Context ctx) {
    return instant(ctx, "since");
  }

  static Optional<Instant> instant(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(raw.trim()));
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(name + " must be an ISO-8601 UTC time", name);
    }
  }

  /** A query parameter, or null when absent or blank. */
  static String text(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    return raw == null || raw.isBlank() ? null : raw.trim();
  }

  static PageRequest page(Context ctx) {
    int limit = integer(ctx, "limit").orElse(DEFAULT_PAGE);
    if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
      throw new InvalidInputException(
          "limit must be between 1 and " + PageRequest.MAX_LIMIT, "limit");
    }
    String cursor = ctx.queryParam("cursor");
    if (cursor == null || cursor.isBlank()) {
      return new PageRequest(null, limit);
    }
    try {
      Cursor.decode(cursor);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "cursor must be a next_cursor value this server returned", "cursor");
    }
    return new PageRequest(cursor, limit);
  }
}
