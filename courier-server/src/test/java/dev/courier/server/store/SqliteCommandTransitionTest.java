package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class SqliteCommandTransitionTest extends CommandTransitionContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
