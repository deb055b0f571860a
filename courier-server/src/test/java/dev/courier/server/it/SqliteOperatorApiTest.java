package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class SqliteOperatorApiTest extends OperatorApiContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
