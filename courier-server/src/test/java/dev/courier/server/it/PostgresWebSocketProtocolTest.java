package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class PostgresWebSocketProtocolTest extends WebSocketProtocolContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
