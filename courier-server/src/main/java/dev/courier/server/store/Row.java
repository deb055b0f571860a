package dev.courier.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Reads the current row by column name, converting instants and JSON through the dialect. */
final class Row {
  private final ResultSet rows;
  private final Dialect dialect;

  Row(ResultSet rows, Dialect dialect) {
    this.rows = rows;
    this.dialect = dialect;
  }

  String string(String column) throws SQLException {
    return rows.getString(column);
  }

  Integer integer(String column) throws SQLException {
    int value = rows.getInt(column);
    return rows.wasNull() ? null : value;
  }

  Long longValue(String column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : value;
  }

  boolean bool(String column) throws SQLException {
    return rows.getBoolean(column);
  }

  Instant instant(String column) throws SQLException {
    return dialect.getInstant(rows, column);
  }

  String json(String column) throws SQLException {
    return dialect.getJson(rows, column);
  }
}
