package dev.courier.server.store;

import dev.courier.server.testing.TestDatabases;

class SqliteSettingsTest extends SettingsContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.SQLITE;
  }
}
