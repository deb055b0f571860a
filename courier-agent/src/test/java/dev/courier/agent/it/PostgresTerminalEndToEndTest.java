package dev.courier.agent.it;

import dev.courier.server.testing.TestDatabases;

class PostgresTerminalEndToEndTest extends TerminalEndToEndContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
