package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class SqliteAgentCredentialsTest extends AgentCredentialsContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
