package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class SqliteScheduleTest extends ScheduleContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
