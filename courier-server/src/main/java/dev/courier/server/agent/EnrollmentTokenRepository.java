package dev.courier.server.agent;

import dev.courier.server.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores enrollment tokens and counts their uses. */
public interface EnrollmentTokenRepository {

  void create(EnrollmentToken token);

  Optional<EnrollmentToken> findByHash(String tokenHash);

  /** The token with this id, whatever its tenant: callers scope it. */
  Optional<EnrollmentToken> find(EnrollmentTokenId id);

  /**
   * Takes one use of the token in a single guarded write, so concurrent enrollments never exceed
   * {@code maxUses}.
   *
   * @return the token after the use, or empty if it is unknown, revoked, expired at {@code now} or
   *     used up
   */
  Optional<EnrollmentToken> consume(String tokenHash, Instant now);

  /** The tenant's tokens, newest first. */
  List<EnrollmentToken> list(TenantId tenantId);

  /**
   * @return false if there is no such unrevoked token in the tenant
   */
  boolean revoke(TenantId tenantId, EnrollmentTokenId id, Instant now);
}
