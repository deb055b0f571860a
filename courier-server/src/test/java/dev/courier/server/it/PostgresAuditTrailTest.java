package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class PostgresAuditTrailTest extends AuditTrailContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }
}
