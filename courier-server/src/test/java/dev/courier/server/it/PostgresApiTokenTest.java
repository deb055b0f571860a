package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class PostgresApiTokenTest extends ApiTokenContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
