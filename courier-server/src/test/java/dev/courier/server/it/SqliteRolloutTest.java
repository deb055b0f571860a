package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class SqliteRolloutTest extends RolloutContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
