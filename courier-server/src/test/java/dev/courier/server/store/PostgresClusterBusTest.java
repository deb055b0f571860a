package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class PostgresClusterBusTest extends ClusterBusContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
