package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class PostgresConsoleApiTest extends ConsoleApiContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
