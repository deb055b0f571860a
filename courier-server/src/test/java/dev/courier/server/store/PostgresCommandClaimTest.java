package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class PostgresCommandClaimTest extends CommandClaimContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
