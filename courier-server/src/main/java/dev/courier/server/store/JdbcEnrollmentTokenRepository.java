package dev.courier.server.store;

import dev.courier.server.agent.EnrollmentToken;
import dev.courier.server.agent.EnrollmentTokenId;
import dev.courier.server.agent.EnrollmentTokenRepository;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.user.UserId;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcEnrollmentTokenRepository implements EnrollmentTokenRepository {
  private final Jdbc jdbc;

  JdbcEnrollmentTokenRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void create(EnrollmentToken t) {
    jdbc.update(
        "INSERT INTO enrollment_tokens (id, tenant_id, token_hash, labels, max_uses, uses,"
            + " created_by, created_at, expires_at, revoked_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p ->
            p.string(t.id().value())
                .string(t.tenantId().value())
                .string(t.tokenHash())
                .json(Json.write(t.defaultLabels()))
                .integer(t.maxUses())
                .integer(t.uses())
                .string(t.createdBy() == null ? null : t.createdBy().value())
                .instant(t.createdAt())
                .instant(t.expiresAt())
                .instant(t.revokedAt()));
  }

  @Override
  public Optional<EnrollmentToken> findByHash(String tokenHash) {
    return jdbc.queryOne(
        "SELECT * FROM enrollment_tokens WHERE token_hash = ?",
        p -> p.string(tokenHash),
        JdbcEnrollmentTokenRepository::map);
  }

  @Override
  public Optional<EnrollmentToken> find(EnrollmentTokenId id) {
    return jdbc.queryOne(
        "SELECT * FROM enrollment_tokens WHERE id = ?",
        p -> p.string(id.value()),
        JdbcEnrollmentTokenRepository::map);
  }

  @Override
  public Optional<EnrollmentToken> consume(String tokenHash, Instant now) {
    // The guard and the increment are one statement, so racing enrollments cannot overshoot.
    return jdbc
        .updateReturning(
            "UPDATE enrollment_tokens SET uses = uses + 1"
                + " WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?"
                + " AND (max_uses IS NULL OR uses < max_uses) RETURNING *",
            p -> p.string(tokenHash).instant(now),
            JdbcEnrollmentTokenRepository::map)
        .stream()
        .findFirst();
  }

  @Override
  public List<EnrollmentToken> list(TenantId tenantId) {
    return jdbc.query(
        "SELECT * FROM enrollment_tokens WHERE tenant_id = ? ORDER BY created_at DESC, id DESC",
        p -> p.string(tenantId.value()),
        JdbcEnrollmentTokenRepository::map);
  }

  @Override
  public boolean revoke(TenantId tenantId, EnrollmentTokenId id, Instant now) {
    return jdbc.update(
            "UPDATE enrollment_tokens SET revoked_at = ?"
                + " WHERE id = ? AND tenant_id = ? AND revoked_at IS NULL",
            p -> p.instant(now).string(id.value()).string(tenantId.value()))
        == 1;
  }

  private static EnrollmentToken map(Row row) throws SQLException {
    String createdBy = row.string("created_by");
    return new EnrollmentToken(
        EnrollmentTokenId.of(row.string("id")),
        TenantId.of(row.string("tenant_id")),
        row.string("token_hash"),
        Json.stringMap(row.json("labels")),
        row.integer("max_uses"),
        row.integer("uses"),
        createdBy == null ? null : UserId.of(createdBy),
        row.instant("created_at"),
        row.instant("expires_at"),
        row.instant("revoked_at"));
  }
}
