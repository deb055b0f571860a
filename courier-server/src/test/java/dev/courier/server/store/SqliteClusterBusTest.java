package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class SqliteClusterBusTest extends ClusterBusContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
