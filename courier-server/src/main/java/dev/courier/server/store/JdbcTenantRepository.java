package dev.courier.server.store;

import dev.courier.server.tenant.Tenant;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.tenant.TenantRepository;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcTenantRepository implements TenantRepository {
  private final Jdbc jdbc;

  JdbcTenantRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void create(Tenant tenant) {
    jdbc.update(
        "INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)",
        p -> p.string(tenant.id().value()).string(tenant.name()).instant(tenant.createdAt()));
  }

  @Override
  public Optional<Tenant> find(TenantId id) {
    return jdbc.queryOne(
        "SELECT * FROM tenants WHERE id = ?", p -> p.string(id.value()), JdbcTenantRepository::map);
  }

  @Override
  public List<Tenant> list() {
    return jdbc.query("SELECT * FROM tenants ORDER BY created_at, id", JdbcTenantRepository::map);
  }

  private static Tenant map(Row row) throws SQLException {
    return new Tenant(TenantId.of(row.string("id")), row.string("name"), row.instant("created_at"));
  }
}
