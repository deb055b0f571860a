package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class SqliteApiTokenTest extends ApiTokenContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
