package dev.courier.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitSettingsTest {

  @Test
  void with_nothing_configured_the_documented_defaults_apply() {
    RateLimitSettings limits = new ConfigLoader(Map.of(), Map.of()).load().rateLimits();

    assertThat(limits).isEqualTo(RateLimitSettings.defaults());
    assertThat(limits.commandsPerMinute()).isEqualTo(600);
    assertThat(limits.commandBurst()).isEqualTo(100);
    assertThat(limits.loginFailuresPerUser()).isEqualTo(10);
    assertThat(limits.loginFailuresPerAddress()).isEqualTo(30);
    assertThat(limits.loginWindow()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void each_limit_is_read_from_flags_and_the_environment() {
    RateLimitSettings limits =
        new ConfigLoader(
                Map.of(Setting.RATE_COMMANDS_PER_MINUTE, "0", Setting.RATE_LIMIT_MAX_KEYS, "1000"),
                Map.of(
                    "COURIER_RATE_COMMANDS_BURST", "5",
                    "COURIER_RATE_LOGIN_FAILURES_PER_USER", "4",
                    "COURIER_RATE_LOGIN_FAILURES_PER_ADDRESS", "0",
                    "COURIER_RATE_LOGIN_WINDOW_SECONDS", "60"))
            .load()
            .rateLimits();

    assertThat(limits).isEqualTo(new RateLimitSettings(0, 5, 4, 0, Duration.ofSeconds(60), 1000));
  }

  @Test
  void a_negative_rate_is_refused_and_named() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of(), Map.of("COURIER_RATE_COMMANDS_PER_MINUTE", "-1")).load())
        .isInstanceOf(ConfigException.class)
        .hasMessage("rate-commands-per-minute: -1 is not between 0 and 1000000");
  }

  @Test
  void a_zero_burst_and_a_zero_window_are_refused() {
    assertThatThrownBy(
            () -> new ConfigLoader(Map.of(Setting.RATE_COMMANDS_BURST, "0"), Map.of()).load())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rate-commands-burst");
    assertThatThrownBy(
            () -> new ConfigLoader(Map.of(Setting.RATE_LOGIN_WINDOW_SECONDS, "0"), Map.of()).load())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rate-login-window-seconds");
  }
}
