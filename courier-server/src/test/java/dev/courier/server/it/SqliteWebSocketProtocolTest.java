package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class SqliteWebSocketProtocolTest extends WebSocketProtocolContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
