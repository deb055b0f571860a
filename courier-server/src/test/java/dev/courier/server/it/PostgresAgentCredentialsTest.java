package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class PostgresAgentCredentialsTest extends AgentCredentialsContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
