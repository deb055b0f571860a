package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class SqliteCommandQueryTest extends CommandQueryContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
