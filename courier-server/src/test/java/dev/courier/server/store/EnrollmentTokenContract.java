package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.server.agent.EnrollmentToken;
import dev.courier.server.agent.EnrollmentTokenId;
import dev.courier.server.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

abstract class EnrollmentTokenContract extends StoreContract {
  TenantId tenant;

  @BeforeEach
  void newTenant() {
    tenant = fixtures.tenant();
  }

  private EnrollmentToken token(Integer maxUses) {
    EnrollmentToken token =
        new EnrollmentToken(
            EnrollmentTokenId.random(),
            tenant,
            "hash-" + EnrollmentTokenId.random(),
            Map.of("site", "berlin"),
            maxUses,
            0,
            null,
            START,
            START.plusSeconds(3600),
            null);
    repos.enrollmentTokens().create(token);
    return token;
  }

  @Test
  void a_token_round_trips_and_is_found_by_its_hash() {
    EnrollmentToken token = token(3);

    assertThat(repos.enrollmentTokens().findByHash(token.tokenHash())).contains(token);
  }

  @Test
  void consumption_counts_uses_and_stops_at_max_uses() {
    EnrollmentToken token = token(2);

    Optional<EnrollmentToken> first = repos.enrollmentTokens().consume(token.tokenHash(), START);
    Optional<EnrollmentToken> second = repos.enrollmentTokens().consume(token.tokenHash(), START);
    Optional<EnrollmentToken> third = repos.enrollmentTokens().consume(token.tokenHash(), START);

    assertThat(first).map(EnrollmentToken::uses).contains(1);
    assertThat(second).map(EnrollmentToken::uses).contains(2);
    assertThat(third).isEmpty();
  }

  @Test
  void expired_revoked_and_unknown_tokens_cannot_be_consumed() {
    EnrollmentToken expiring = token(null);
    EnrollmentToken revoked = token(null);
    repos.enrollmentTokens().revoke(tenant, revoked.id(), START);

    assertThat(repos.enrollmentTokens().consume(expiring.tokenHash(), START.plusSeconds(3600)))
        .isEmpty();
    assertThat(repos.enrollmentTokens().consume(expiring.tokenHash(), START.plusSeconds(3599)))
        .isPresent();
    assertThat(repos.enrollmentTokens().consume(revoked.tokenHash(), START)).isEmpty();
    assertThat(repos.enrollmentTokens().consume("no-such-hash", START)).isEmpty();
  }

  @Test
  void concurrent_consumption_never_exceeds_max_uses() throws Exception {
    EnrollmentToken token = token(5);

    List<Boolean> outcomes =
        race(16, () -> repos.enrollmentTokens().consume(token.tokenHash(), START).isPresent());

    assertThat(outcomes.stream().filter(ok -> ok)).hasSize(5);
    assertThat(repos.enrollmentTokens().findByHash(token.tokenHash()).orElseThrow().uses())
        .isEqualTo(5);
  }

  @Test
  void a_token_is_found_by_its_id_whatever_its_tenant() {
    EnrollmentToken token = token(null);
    assertThat(repos.enrollmentTokens().find(token.id()))
        .get()
        .extracting(EnrollmentToken::tenantId)
        .isEqualTo(token.tenantId());
    assertThat(repos.enrollmentTokens().find(EnrollmentTokenId.random())).isEmpty();
  }

  @Test
  void revoking_works_once_and_only_in_the_tokens_tenant() {
    EnrollmentToken token = token(1);

    assertThat(repos.enrollmentTokens().revoke(fixtures.tenant(), token.id(), START)).isFalse();
    assertThat(repos.enrollmentTokens().revoke(tenant, token.id(), START)).isTrue();
    assertThat(repos.enrollmentTokens().revoke(tenant, token.id(), START)).isFalse();
  }

  @Test
  void list_returns_the_tenants_tokens_newest_first() {
    EnrollmentToken older = token(1);
    clock.advance(java.time.Duration.ofSeconds(1));
    EnrollmentToken newer =
        new EnrollmentToken(
            EnrollmentTokenId.random(),
            tenant,
            "hash-" + EnrollmentTokenId.random(),
            Map.of(),
            null,
            0,
            null,
            START.plusSeconds(1),
            START.plusSeconds(3600),
            null);
    repos.enrollmentTokens().create(newer);
    fixtures.tenant();

    assertThat(repos.enrollmentTokens().list(tenant))
        .extracting(EnrollmentToken::id)
        .containsExactly(newer.id(), older.id());
  }
}
