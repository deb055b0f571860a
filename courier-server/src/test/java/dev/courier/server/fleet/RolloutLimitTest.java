package dev.courier.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.server.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class RolloutLimitTest {

  @Test
  void a_count_stays_what_it_says_whatever_the_targets() {
    assertThat(RolloutLimit.parse("50", 1, "max_concurrency").resolve(1000, true)).isEqualTo(50);
    assertThat(RolloutLimit.parse("0", 0, "max_errors").resolve(1000, false)).isZero();
  }

  @Test
  void a_percentage_of_concurrency_rounds_up_so_it_never_stalls_at_zero() {
    RolloutLimit tenPercent = RolloutLimit.parse("10%", 1, "max_concurrency");
    assertThat(tenPercent.resolve(5, true)).isEqualTo(1);
    assertThat(tenPercent.resolve(200, true)).isEqualTo(20);
    assertThat(tenPercent.resolve(201, true)).isEqualTo(21);
  }

  @Test
  void a_percentage_of_errors_rounds_down_so_it_never_allows_more_than_asked() {
    RolloutLimit tenPercent = RolloutLimit.parse("10%", 0, "max_errors");
    assertThat(tenPercent.resolve(15, false)).isEqualTo(1);
    assertThat(tenPercent.resolve(9, false)).isZero();
    assertThat(tenPercent.text()).isEqualTo("10%");
  }

  @Test
  void anything_else_is_refused_naming_the_field() {
    for (String bad : new String[] {"150%", "-1", "ten", "1.5", "0"}) {
      assertThatThrownBy(() -> RolloutLimit.parse(bad, 1, "max_concurrency"))
          .as(bad)
          .isInstanceOf(InvalidInputException.class)
          .satisfies(
              e -> assertThat(((InvalidInputException) e).field()).contains("max_concurrency"));
    }
  }
}
