package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class PostgresAuditLogTest extends AuditLogContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
