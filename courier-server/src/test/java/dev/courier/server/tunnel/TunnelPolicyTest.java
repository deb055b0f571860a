package dev.courier.server.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.server.error.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TunnelPolicyTest {

  @Test
  void an_empty_policy_allows_everything() {
    assertThat(TunnelPolicy.none().refusal("rm -rf /")).isEmpty();
  }

  @Test
  void a_deny_pattern_found_anywhere_refuses_the_line() {
    TunnelPolicy policy = TunnelPolicy.of(List.of(), List.of("rm\\s+-rf"));
    assertThat(policy.refusal("cd /srv && rm  -rf data")).isPresent();
    assertThat(policy.refusal("ls -rf")).isEmpty();
  }

  @Test
  void an_allowlist_must_match_the_whole_line_and_deny_wins() {
    TunnelPolicy policy = TunnelPolicy.of(List.of("(ls|df)( .*)?", "uptime"), List.of("\\.\\./"));
    assertThat(policy.refusal("  ls -l /var ")).isEmpty();
    assertThat(policy.refusal("uptime")).isEmpty();
    assertThat(policy.refusal("uptime; reboot")).isPresent();
    assertThat(policy.refusal("ls ../etc")).isPresent();
    assertThat(policy.refusal("")).isEmpty();
  }

  @Test
  void bad_patterns_are_refused_naming_the_pattern() {
    assertThatThrownBy(() -> TunnelPolicy.of(List.of("ok", "("), List.of()))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).contains("allow[1]"));
    assertThatThrownBy(() -> TunnelPolicy.of(List.of(), List.of(" ")))
        .isInstanceOf(InvalidInputException.class);
  }
}
