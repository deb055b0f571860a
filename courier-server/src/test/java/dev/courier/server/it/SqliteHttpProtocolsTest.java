package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class SqliteHttpProtocolsTest extends HttpProtocolsContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
