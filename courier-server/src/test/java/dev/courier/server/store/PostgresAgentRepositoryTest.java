package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class PostgresAgentRepositoryTest extends AgentRepositoryContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
