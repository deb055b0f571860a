package dev.courier.server.store;

import dev.courier.server.auth.ApiToken;
import dev.courier.server.auth.ApiTokenId;
import dev.courier.server.auth.ApiTokenRepository;
import dev.courier.server.auth.Permission;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.user.UserId;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

final class JdbcApiTokenRepository implements ApiTokenRepository {
  private final Jdbc jdbc;

  JdbcApiTokenRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void create(ApiToken t) {
    jdbc.update(
        "INSERT INTO api_tokens (id, tenant_id, user_id, name, token_hash, scopes, created_at,"
            + " expires_at, last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p ->
            p.string(t.id().value())
                .string(t.tenantId() == null ? null : t.tenantId().value())
                .string(t.userId().value())
                .string(t.name())
                .string(t.tokenHash())
                .json(
                    Json.write(
                        t.permissions().stream().sorted().map(Permission::wireName).toList()))
                .instant(t.createdAt())
                .instant(t.expiresAt())
                .instant(t.lastUsedAt())
                .instant(t.revokedAt()));
  }

  @Override
  public Optional<ApiToken> findByHash(String tokenHash) {
    return jdbc.queryOne(
        "SELECT * FROM api_tokens WHERE token_hash = ?",
        p -> p.string(tokenHash),
        JdbcApiTokenRepository::map);
  }

  @Override
  public Optional<ApiToken> find(ApiTokenId id) {
    return jdbc.queryOne(
        "SELECT * FROM api_tokens WHERE id = ?",
        p -> p.string(id.value()),
        JdbcApiTokenRepository::map);
  }

  @Override
  public List<ApiToken> listByUser(UserId userId) {
    return jdbc.query(
        "SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC",
        p -> p.string(userId.value()),
        JdbcApiTokenRepository::map);
  }

  @Override
  public boolean revoke(ApiTokenId id, Instant now) {
    return jdbc.update(
            "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            p -> p.instant(now).string(id.value()))
        == 1;
  }

  @Override
  public void touch(ApiTokenId id, Instant now) {
    // Never moves backwards when two nodes record uses out of order.
    jdbc.update(
        "UPDATE api_tokens SET last_used_at = ?"
            + " WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
        p -> p.instant(now).string(id.value()).instant(now));
  }

  private static ApiToken map(Row row) throws SQLException {
    String tenant = row.string("tenant_id");
    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    // A permission renamed or dropped since the token was made simply no longer applies.
    for (String wireName : Json.stringList(row.json("scopes"))) {
      Permission.fromWireName(wireName).ifPresent(permissions::add);
    }
    return new ApiToken(
        ApiTokenId.of(row.string("id")),
        tenant == null ? null : TenantId.of(tenant),
        UserId.of(row.string("user_id")),
        row.string("name"),
        row.string("token_hash"),
        permissions,
        row.instant("created_at"),
        row.instant("expires_at"),
        row.instant("last_used_at"),
        row.instant("revoked_at"));
  }
}
