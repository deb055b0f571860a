package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class PostgresCommandTransitionTest extends CommandTransitionContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
