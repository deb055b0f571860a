package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class PostgresEventsAndTransactionsTest extends EventsAndTransactionsContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
