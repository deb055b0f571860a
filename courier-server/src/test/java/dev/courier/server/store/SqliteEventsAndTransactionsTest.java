package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class SqliteEventsAndTransactionsTest extends EventsAndTransactionsContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
