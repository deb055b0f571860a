package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class PostgresCommandQueryTest extends CommandQueryContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
