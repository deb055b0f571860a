package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class PostgresTenantAndUserTest extends TenantAndUserContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
