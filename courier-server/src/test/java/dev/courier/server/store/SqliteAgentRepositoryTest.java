package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class SqliteAgentRepositoryTest extends AgentRepositoryContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
