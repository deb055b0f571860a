package dev.courier.bench.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.bench.benchmarks.FanoutBenchmark.Round;
import java.util.List;
import org.junit.jupiter.api.Test;

class FanoutBenchmarkTest {

  private static Round round(double totalMs) {
    return round(totalMs, 0);
  }

  private static Round round(double totalMs, double jitCpuSeconds) {
    return new Round(
        "rollout",
        true,
        1,
        totalMs,
        1,
        jitCpuSeconds,
        1,
        Double.NaN,
        -1,
        new long[0],
        new long[0],
        new long[0]);
  }

  @Test
  void a_round_in_which_the_compilers_used_a_tenth_of_a_core_or_less_has_a_settled_jit() {
    assertThat(round(2_000, 0.2).jitSettled()).isTrue();
    assertThat(round(2_000, 0.05).jitSettled()).isTrue();
    assertThat(round(2_000, 0.21).jitSettled()).isFalse();
    assertThat(round(3_500, 1.7).jitSettled()).isFalse();
  }

  @Test
  void one_round_is_its_own_median() {
    Round only = round(3_000);
    assertThat(FanoutBenchmark.medianOf(List.of(only))).isSameAs(only);
  }

  @Test
  void the_median_of_an_odd_count_is_the_middle_total_whatever_the_order() {
    Round middle = round(3_500);
    assertThat(FanoutBenchmark.medianOf(List.of(round(5_000), round(3_000), middle)))
        .isSameAs(middle);
  }

  @Test
  void the_median_of_an_even_count_is_the_faster_middle_round() {
    Round fasterMiddle = round(3_200);
    assertThat(
            FanoutBenchmark.medianOf(
                List.of(round(4_100), fasterMiddle, round(2_900), round(3_900))))
        .isSameAs(fasterMiddle);
  }

  @Test
  void the_warm_up_goes_on_until_the_jit_settled_within_three_to_fifteen_rounds() {
    assertThat(FanoutBenchmark.warmupGoesOn(null, false, 2, true)).isTrue();
    assertThat(FanoutBenchmark.warmupGoesOn(null, false, 3, false)).isTrue();
    assertThat(FanoutBenchmark.warmupGoesOn(null, false, 3, true)).isFalse();
    assertThat(FanoutBenchmark.warmupGoesOn(null, false, 14, false)).isTrue();
    assertThat(FanoutBenchmark.warmupGoesOn(null, false, 15, false)).isFalse();
  }

  @Test
  void a_quick_warm_up_takes_one_to_three_rounds() {
    assertThat(FanoutBenchmark.warmupGoesOn(null, true, 0, false)).isTrue();
    assertThat(FanoutBenchmark.warmupGoesOn(null, true, 1, true)).isFalse();
    assertThat(FanoutBenchmark.warmupGoesOn(null, true, 2, false)).isTrue();
    assertThat(FanoutBenchmark.warmupGoesOn(null, true, 3, false)).isFalse();
  }

  @Test
  void a_fixed_count_of_warm_ups_ignores_the_jit() {
    assertThat(FanoutBenchmark.warmupGoesOn(5, true, 4, true)).isTrue();
    assertThat(FanoutBenchmark.warmupGoesOn(5, false, 5, false)).isFalse();
  }
}
