package dev.courier.agent.it;

import dev.courier.server.testing.TestDatabases;

class SqliteAgentEndToEndTest extends AgentEndToEndContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
