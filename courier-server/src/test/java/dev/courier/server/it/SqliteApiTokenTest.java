package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class SqliteApiTokenTest extends ApiTokenContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
