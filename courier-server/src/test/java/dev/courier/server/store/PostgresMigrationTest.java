package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class PostgresMigrationTest extends MigrationContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
