package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatementCacheTest {

  private static final String SQL = "SELECT ? + 1";

  private final StatementCache cache = new StatementCache();
  private Connection connection;

  @BeforeEach
  void open() throws SQLException {
    connection = DriverManager.getConnection("jdbc:sqlite::memory:");
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  @Test
  void a_statement_given_back_after_a_use_is_lent_again_for_the_same_sql() throws SQLException {
    PreparedStatement first = cache.borrow(connection, SQL);
    assertThat(plusOne(first, 41)).isEqualTo(42);
    cache.giveBack(connection, SQL, first, true);

    PreparedStatement second = cache.borrow(connection, SQL);

    assertThat(second).isSameAs(first);
    assertThat(plusOne(second, 1)).isEqualTo(2);
  }

  @Test
  void a_nested_use_of_the_same_sql_gets_a_statement_of_its_own() throws SQLException {
    PreparedStatement outer = cache.borrow(connection, SQL);
    PreparedStatement inner = cache.borrow(connection, SQL);

    assertThat(inner).isNotSameAs(outer);
    cache.giveBack(connection, SQL, inner, true);
    cache.giveBack(connection, SQL, outer, true);
    assertThat(outer.isClosed()).as("one statement per SQL is kept").isTrue();
    assertThat(cache.borrow(connection, SQL)).isSameAs(inner);
  }

  @Test
  void a_statement_whose_use_failed_is_closed_not_kept() throws SQLException {
    PreparedStatement failed = cache.borrow(connection, SQL);

    cache.giveBack(connection, SQL, failed, false);

    assertThat(failed.isClosed()).isTrue();
    assertThat(cache.borrow(connection, SQL)).isNotSameAs(failed);
  }

  @Test
  void each_connection_has_statements_of_its_own() throws SQLException {
    try (Connection other = DriverManager.getConnection("jdbc:sqlite::memory:")) {
      PreparedStatement mine = cache.borrow(connection, SQL);
      cache.giveBack(connection, SQL, mine, true);

      PreparedStatement theirs = cache.borrow(other, SQL);

      assertThat(theirs).isNotSameAs(mine);
      assertThat(theirs.getConnection()).isSameAs(other);
    }
  }

  private static int plusOne(PreparedStatement statement, int value) throws SQLException {
    statement.setInt(1, value);
    try (ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
