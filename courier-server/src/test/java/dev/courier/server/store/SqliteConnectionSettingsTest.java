package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.server.common.GroupCommit;
import dev.courier.server.testing.TestDatabase;
import dev.courier.server.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every pooled SQLite connection is opened with (the pragmas are per connection). */
class SqliteConnectionSettingsTest {

  private final TestDatabase db = TestDatabases.create(TestDatabases.Kind.SQLITE);

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void connections_use_the_write_ahead_log_and_check_foreign_keys() {
    assertThat(pragma("journal_mode")).isEqualTo("wal");
    assertThat(pragma("foreign_keys")).isEqualTo("1");
  }

  @Test
  void savepoint_journals_spill_to_temporary_files_rather_than_growing_in_memory() {
    // 1 = FILE: a savepoint over thousands of rows is many times slower with MEMORY.
    assertThat(pragma("temp_store")).isEqualTo("1");
  }

  @Test
  void the_group_commits_writer_keeps_a_larger_page_cache_than_pooled_connections() {
    // Negative: KiB. SQLite's default is 2,000 KiB; the writer's survives between its batches.
    assertThat(pragma("cache_size")).isEqualTo("-2000");
    try (GroupCommit writes = db.database().openGroupCommit(e -> false)) {
      assertThat(writes.call("writer", () -> pragma("cache_size"))).isEqualTo("-65536");
    }
  }

  private String pragma(String name) {
    return db.database()
        .jdbc()
        .queryOne("PRAGMA " + name, params -> {}, row -> row.string(name))
        .orElseThrow();
  }
}
