package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class PostgresEnrollmentTokenTest extends EnrollmentTokenContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
