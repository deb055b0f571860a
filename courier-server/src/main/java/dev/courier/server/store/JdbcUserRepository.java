package dev.courier.server.store;

import dev.courier.server.tenant.TenantId;
import dev.courier.server.user.Role;
import dev.courier.server.user.User;
import dev.courier.server.user.UserId;
import dev.courier.server.user.UserRepository;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcUserRepository implements UserRepository {
  private final Jdbc jdbc;

  JdbcUserRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void create(User user) {
    jdbc.update(
        "INSERT INTO users (id, tenant_id, username, password_hash, role, disabled, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
        p ->
            p.string(user.id().value())
                .string(user.tenantId() == null ? null : user.tenantId().value())
                .string(user.username())
                .string(user.passwordHash())
                .string(user.role().wireName())
                .bool(user.disabled())
                .instant(user.createdAt()));
  }

  @Override
  public Optional<User> find(UserId id) {
    return jdbc.queryOne(
        "SELECT * FROM users WHERE id = ?", p -> p.string(id.value()), JdbcUserRepository::map);
  }

  @Override
  public Optional<User> findByUsername(String username) {
    return jdbc.queryOne(
        "SELECT * FROM users WHERE username = ?", p -> p.string(username), JdbcUserRepository::map);
  }

  @Override
  public List<User> list(TenantId tenant, int limit) {
    if (tenant == null) {
      return jdbc.query(
          "SELECT * FROM users ORDER BY username LIMIT ?",
          p -> p.integer(limit),
          JdbcUserRepository::map);
    }
    return jdbc.query(
        "SELECT * FROM users WHERE tenant_id = ? ORDER BY username LIMIT ?",
        p -> p.string(tenant.value()).integer(limit),
        JdbcUserRepository::map);
  }

  @Override
  public boolean update(User user) {
    return jdbc.update(
            "UPDATE users SET role = ?, disabled = ?, password_hash = ? WHERE id = ?",
            p ->
                p.string(user.role().wireName())
                    .bool(user.disabled())
                    .string(user.passwordHash())
                    .string(user.id().value()))
        == 1;
  }

  @Override
  public long count() {
    return jdbc.query("SELECT COUNT(*) AS n FROM users", row -> row.longValue("n")).getFirst();
  }

  private static User map(Row row) throws SQLException {
    String tenant = row.string("tenant_id");
    return new User(
        UserId.of(row.string("id")),
        tenant == null ? null : TenantId.of(tenant),
        row.string("username"),
        row.string("password_hash"),
        Role.fromWireName(row.string("role")),
        row.bool("disabled"),
        row.instant("created_at"));
  }
}
