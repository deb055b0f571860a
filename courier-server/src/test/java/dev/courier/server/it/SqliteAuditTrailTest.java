package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;

class SqliteAuditTrailTest extends AuditTrailContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
