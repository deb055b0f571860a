package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class SqliteConsoleApiTest extends ConsoleApiContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
