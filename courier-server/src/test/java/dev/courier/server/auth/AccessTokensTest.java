package dev.courier.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.server.error.UnauthorizedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final OperatorClaims ALICE = new OperatorClaims("u-1", "alice", "operator", "t-1");

  private static AccessTokens at(Instant now) {
    return new AccessTokens(SECRET, Duration.ofMinutes(15), Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void a_token_verifies_to_the_claims_it_was_issued_with() {
    String token = at(T0).issue(ALICE);

    assertThat(at(T0.plusSeconds(60)).verify(token)).isEqualTo(ALICE);
  }

  @Test
  void a_system_admin_token_carries_no_tenant() {
    OperatorClaims admin = new OperatorClaims("u-0", "admin", "system_admin", null);

    assertThat(at(T0).verify(at(T0).issue(admin)).tenantId()).isNull();
  }

  @Test
  void an_expired_token_is_refused_after_the_clock_skew_allowance() {
    String token = at(T0).issue(ALICE);

    assertThat(at(T0.plus(Duration.ofMinutes(15)).plusSeconds(30)).verify(token)).isEqualTo(ALICE);
    assertThatThrownBy(() -> at(T0.plus(Duration.ofMinutes(17))).verify(token))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void a_token_signed_with_another_secret_is_refused() {
    byte[] other = Arrays.copyOf(SECRET, SECRET.length);
    other[0] ^= 1;
    String forged =
        new AccessTokens(other, Duration.ofMinutes(15), Clock.fixed(T0, ZoneOffset.UTC))
            .issue(ALICE);

    assertThatThrownBy(() -> at(T0).verify(forged)).isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void garbage_is_refused_as_unauthorized() {
    assertThatThrownBy(() -> at(T0).verify("not-a-jwt")).isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void a_short_secret_is_refused() {
    assertThatThrownBy(
            () -> new AccessTokens(new byte[16], Duration.ofMinutes(1), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
