package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class PostgresHttpProtocolsTest extends HttpProtocolsContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
