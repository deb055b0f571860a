package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class PostgresRateLimitTest extends RateLimitContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
