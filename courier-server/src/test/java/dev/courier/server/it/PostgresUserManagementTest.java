package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class PostgresUserManagementTest extends UserManagementContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
