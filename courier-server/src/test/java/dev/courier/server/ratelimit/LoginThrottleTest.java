package dev.courier.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.server.config.RateLimitSettings;
import dev.courier.server.error.RateLimitedException;
import dev.courier.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private final MutableClock clock = MutableClock.at(Instant.parse("2025-03-01T10:00:00Z"));

  /** 3 failures per user, 5 per address, per 5 minutes. */
  private final LoginThrottle throttle =
      RateLimiters.from(
              RateLimitSettings.defaults().withLoginFailures(3, 5, Duration.ofMinutes(5)), clock)
          .logins();

  private void fail(String user, String address, int times) {
    for (int i = 0; i < times; i++) {
      throttle.begin(user, address); // never released: a wrong password
    }
  }

  @Test
  void failures_past_the_user_allowance_are_refused_with_the_wait_until_the_next_try() {
    fail("alice", "10.0.0.1", 3);

    assertThatThrownBy(() -> throttle.begin("alice", "10.0.0.1"))
        .isInstanceOfSatisfying(
            RateLimitedException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(100)));
  }

  @Test
  void the_username_counts_whatever_its_case_or_surrounding_spaces() {
    fail("Alice", "10.0.0.1", 2);
    fail(" alice ", "10.0.0.2", 1);

    assertThatThrownBy(() -> throttle.begin("ALICE", "10.0.0.3"))
        .isInstanceOf(RateLimitedException.class);
  }

  @Test
  void a_limited_user_does_not_limit_another_user_from_the_same_address() {
    fail("alice", "10.0.0.1", 3);

    assertThatCode(() -> throttle.begin("bob", "10.0.0.1")).doesNotThrowAnyException();
  }

  @Test
  void a_limited_address_refuses_every_username_but_not_other_addresses() {
    fail("alice", "10.0.0.1", 3);
    fail("bob", "10.0.0.1", 2);

    assertThatThrownBy(() -> throttle.begin("carol", "10.0.0.1"))
        .isInstanceOf(RateLimitedException.class);
    assertThatCode(() -> throttle.begin("carol", "10.0.0.2")).doesNotThrowAnyException();
  }

  @Test
  void a_refusal_by_the_address_does_not_use_up_the_user_allowance() {
    fail("mallory", "10.0.0.1", 3);
    fail("trudy", "10.0.0.1", 2);
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> throttle.begin("carol", "10.0.0.1"))
          .isInstanceOf(RateLimitedException.class);
    }

    fail("carol", "10.0.0.2", 3);
  }

  @Test
  void successful_logins_cost_nothing() {
    for (int i = 0; i < 100; i++) {
      throttle.begin("alice", "10.0.0.1").release();
    }

    fail("alice", "10.0.0.1", 3);
  }

  @Test
  void a_limited_user_may_try_again_once_a_failure_has_refilled() {
    fail("alice", "10.0.0.1", 3);
    clock.advance(Duration.ofSeconds(100));

    fail("alice", "10.0.0.1", 1);
    assertThatThrownBy(() -> throttle.begin("alice", "10.0.0.1"))
        .isInstanceOf(RateLimitedException.class);
  }

  @Test
  void without_a_known_address_only_the_username_counts() {
    fail("alice", null, 3);

    assertThatThrownBy(() -> throttle.begin("alice", null))
        .isInstanceOf(RateLimitedException.class);
    assertThatCode(() -> throttle.begin("bob", null)).doesNotThrowAnyException();
  }

  @Test
  void zero_turns_both_login_limits_off() {
    LoginThrottle off = RateLimiters.unlimited(clock).logins();

    for (int i = 0; i < 1_000; i++) {
      off.begin("alice", "10.0.0.1");
    }
  }
}
