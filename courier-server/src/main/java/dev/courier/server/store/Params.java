package dev.courier.server.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Binds a statement's parameters in order, converting instants and JSON through the dialect. */
final class Params {
  private final PreparedStatement statement;
  private final Dialect dialect;
  private int index = 1;

  Params(PreparedStatement statement, Dialect dialect) {
    this.statement = statement;
    this.dialect = dialect;
  }

  Params string(String value) throws SQLException {
    statement.setString(index++, value);
    return this;
  }

  Params integer(Integer value) throws SQLException {
    if (value == null) {
      statement.setNull(index++, Types.INTEGER);
    } else {
      statement.setInt(index++, value);
    }
    return this;
  }

  Params longValue(Long value) throws SQLException {
    if (value == null) {
      statement.setNull(index++, Types.BIGINT);
    } else {
      statement.setLong(index++, value);
    }
    return this;
  }

  Params bool(boolean value) throws SQLException {
    statement.setBoolean(index++, value);
    return this;
  }

  Params instant(Instant value) throws SQLException {
    dialect.setInstant(statement, index++, value);
    return this;
  }

  Params json(String value) throws SQLException {
    dialect.setJson(statement, index++, value);
    return this;
  }
}
