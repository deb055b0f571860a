package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class SqliteEnrollmentTokenTest extends EnrollmentTokenContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
