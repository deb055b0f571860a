package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class SqliteEventStreamTest extends EventStreamContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
