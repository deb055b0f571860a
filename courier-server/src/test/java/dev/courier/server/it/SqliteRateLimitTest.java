package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class SqliteRateLimitTest extends RateLimitContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
