package dev.courier.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {

  private static final Map<String, String> WEB_PROD =
      Map.of("os", "linux", "env", "prod", "role", "web");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "os=linux | true",
        "os==linux | true",
        "os=windows | false",
        "os!=windows | true",
        "os!=linux | false",
        "missing!=x | true",
        "missing=x | false",
        "env in (prod,staging) | true",
        "env in (staging, qa) | false",
        "env notin (staging,qa) | true",
        "missing notin (a) | true",
        "missing in (a) | false",
        "role | true",
        "!role | false",
        "!missing | true",
        "os=linux,env in (prod,staging) | true",
        "os=linux, env in (prod,staging), !canary | true",
        "os=linux,env=staging | false",
      })
  void requirements_match_as_in_kubernetes(String expression, boolean matches) {
    assertThat(LabelSelector.parse(expression).matches(WEB_PROD)).isEqualTo(matches);
  }

  @Test
  void an_empty_value_matches_an_empty_label_only() {
    assertThat(LabelSelector.parse("tier=").matches(Map.of("tier", ""))).isTrue();
    assertThat(LabelSelector.parse("tier=").matches(Map.of("tier", "x"))).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "env in (prod | '(' without ')'",
        "env in prod) | ')' without '('",
        "os=linux,,env=prod | empty requirement",
        "env in () | each value",
        "env in ((a)) | nested",
        "os=li nux | not a requirement",
        "-os=linux | not a requirement",
      })
  void malformed_expressions_are_refused_saying_what_is_wrong(String expression, String message) {
    assertThatThrownBy(() -> LabelSelector.parse(expression))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message.strip());
  }

  @Test
  void blank_and_oversized_expressions_are_refused() {
    assertThatThrownBy(() -> LabelSelector.parse(" ")).hasMessageContaining("empty");
    assertThatThrownBy(() -> LabelSelector.parse("a=b,".repeat(2000)))
        .hasMessageContaining("at most");
  }
}
