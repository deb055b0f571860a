package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class PostgresRolloutTest extends RolloutContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
