package dev.courier.agent.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final Duration MIN = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofSeconds(10);

  @Test
  void each_delay_lies_between_min_and_a_ceiling_that_doubles_up_to_max() {
    Backoff backoff = new Backoff(MIN, MAX, new Random(42));

    for (int attempt = 0; attempt < 200; attempt++) {
      Duration ceiling = backoff.currentCeiling();
      Duration delay = backoff.next();

      long expectedCeiling = Math.min(MAX.toMillis(), MIN.toMillis() << Math.min(attempt + 1, 30));
      assertThat(ceiling.toMillis()).isEqualTo(expectedCeiling);
      assertThat(delay).isBetween(MIN, ceiling);
    }
  }

  @Test
  void delays_are_jittered_rather_than_fixed() {
    Backoff backoff = new Backoff(MIN, MAX, new Random(7));
    for (int i = 0; i < 10; i++) {
      backoff.next();
    }

    var distinct = new HashSet<Duration>();
    for (int i = 0; i < 50; i++) {
      distinct.add(backoff.next());
    }

    assertThat(distinct).hasSizeGreaterThan(40);
  }

  @Test
  void the_same_seed_gives_the_same_sequence() {
    assertThat(sequence(new Backoff(MIN, MAX, new Random(3))))
        .isEqualTo(sequence(new Backoff(MIN, MAX, new Random(3))));
  }

  @Test
  void even_the_first_retry_is_jittered_so_a_fleet_does_not_reconnect_in_step() {
    var first = new HashSet<Duration>();
    for (int seed = 0; seed < 20; seed++) {
      Duration delay = new Backoff(MIN, MAX, new Random(seed)).next();
      assertThat(delay).isBetween(MIN, MIN.multipliedBy(2));
      first.add(delay);
    }

    assertThat(first).hasSizeGreaterThan(15);
  }

  @Test
  void reset_starts_again_from_the_minimum() {
    Backoff backoff = new Backoff(MIN, MAX, new Random(1));
    for (int i = 0; i < 20; i++) {
      backoff.next();
    }
    assertThat(backoff.currentCeiling()).isEqualTo(MAX);

    backoff.reset();

    assertThat(backoff.currentCeiling()).isEqualTo(MIN.multipliedBy(2));
    assertThat(backoff.next()).isBetween(MIN, MIN.multipliedBy(2));
  }

  @Test
  void equal_bounds_give_a_constant_delay() {
    Backoff backoff = new Backoff(MIN, MIN, new Random(1));

    assertThat(sequence(backoff)).containsOnly(MIN);
  }

  @Test
  void bounds_must_be_ordered_and_positive() {
    assertThatThrownBy(() -> new Backoff(MAX, MIN, new Random()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, MIN, new Random()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Duration> sequence(Backoff backoff) {
    List<Duration> out = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      out.add(backoff.next());
    }
    return out;
  }
}
