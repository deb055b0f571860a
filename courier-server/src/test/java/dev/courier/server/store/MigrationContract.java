package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.server.tenant.Tenant;
import dev.courier.server.tenant.TenantId;
import org.junit.jupiter.api.Test;

abstract class MigrationContract extends StoreContract {

  @Test
  void migrations_apply_to_a_fresh_database_which_is_then_ready() {
    assertThat(db.database().schemaVersion()).isEqualTo("10");
    assertThat(db.database().isReady()).isTrue();
  }

  @Test
  void reopening_a_migrated_database_applies_nothing_and_keeps_its_rows() {
    Tenant tenant = new Tenant(TenantId.random(), "kept-" + TenantId.random(), START);
    repos.tenants().create(tenant);

    try (Database reopened = Database.open(db.jdbcUrl(), DatabaseOptions.defaults())) {
      assertThat(reopened.schemaVersion()).isEqualTo("10");
      assertThat(JdbcRepositories.create(reopened, clock).tenants().find(tenant.id()))
          .contains(tenant);
    }
  }

  @Test
  void a_closed_database_is_not_ready() {
    Database other = Database.open(db.jdbcUrl(), DatabaseOptions.defaults());

    other.close();

    assertThat(other.isReady()).isFalse();
  }
}
