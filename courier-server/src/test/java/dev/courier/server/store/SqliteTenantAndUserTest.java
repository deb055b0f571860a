package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class SqliteTenantAndUserTest extends TenantAndUserContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
