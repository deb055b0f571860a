package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class SqliteMigrationTest extends MigrationContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
