package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class SqliteTunnelTest extends TunnelContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
