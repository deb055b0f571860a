package dev.courier.server.it;

import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A contract run against one real server per class, on the database its subclass names: the SQLite
 * and PostgreSQL runs of a contract differ only in {@link #kind()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RealServerContract {

  TestServer server;

  abstract TestDatabases.Kind kind();

  @BeforeAll
  void startServer() {
    server = TestServer.start(kind());
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }
}
