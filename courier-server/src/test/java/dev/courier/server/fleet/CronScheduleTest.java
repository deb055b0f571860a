package dev.courier.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  @Test
  void a_daily_time_that_does_not_exist_in_new_york_runs_just_after_the_gap_that_day() {
    CronSchedule daily = CronSchedule.parse("30 2 * * *", "America/New_York");

    // 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist.
    assertThat(daily.upcoming(at("2026-03-07T12:00:00Z"), 3))
        .containsExactly(
            at("2026-03-08T07:30:00Z"), // 03:30 EDT
            at("2026-03-09T06:30:00Z"), // 02:30 EDT
            at("2026-03-10T06:30:00Z"));
  }

  @Test
  void a_daily_time_that_exists_twice_in_new_york_runs_once_at_its_first_occurrence() {
    CronSchedule daily = CronSchedule.parse("30 1 * * *", "America/New_York");

    // 2026-11-01: 02:00 EDT falls back to 01:00 EST, so 01:30 happens twice.
    assertThat(daily.upcoming(at("2026-10-31T12:00:00Z"), 2))
        .containsExactly(
            at("2026-11-01T05:30:00Z"), // 01:30 EDT, the first
            at("2026-11-02T06:30:00Z")); // 01:30 EST
  }

  @Test
  void half_hourly_runs_across_the_berlin_gaps_never_repeat_or_go_backwards() {
    CronSchedule halfHourly = CronSchedule.parse("*/30 * * * *", "Europe/Berlin");

    // 2026-03-29: 02:00 CET jumps to 03:00 CEST.
    assertThat(halfHourly.upcoming(at("2026-03-29T00:15:00Z"), 4))
        .containsExactly(
            at("2026-03-29T00:30:00Z"), // 01:30 CET
            at("2026-03-29T01:00:00Z"), // 02:00 → 03:00 CEST
            at("2026-03-29T01:30:00Z"), // 02:30 → 03:30 CEST, and 03:00/03:30 are the same
            at("2026-03-29T02:00:00Z")); // 04:00 CEST
  }

  @Test
  void a_daily_berlin_run_in_the_repeated_hour_happens_once() {
    CronSchedule daily = CronSchedule.parse("30 2 * * *", "Europe/Berlin");

    // 2026-10-25: 03:00 CEST falls back to 02:00 CET.
    assertThat(daily.upcoming(at("2026-10-24T12:00:00Z"), 2))
        .containsExactly(at("2026-10-25T00:30:00Z"), at("2026-10-26T01:30:00Z"));
  }

  @Test
  void a_run_asked_for_from_inside_the_repeated_hour_is_the_next_new_one() {
    CronSchedule hourly = CronSchedule.parse("30 * * * *", "America/New_York");

    // 06:15Z is 01:15 EST, in the repeated hour; 01:30 EDT (05:30Z) already passed.
    assertThat(hourly.nextAfter(at("2026-11-01T06:15:00Z"))).contains(at("2026-11-01T07:30:00Z"));
  }

  @Test
  void utc_is_the_default_zone() {
    assertThat(CronSchedule.parse("0 0 * * *", null).nextAfter(at("2026-01-01T10:00:00Z")))
        .contains(at("2026-01-02T00:00:00Z"));
  }

  @Test
  void bad_expressions_and_zones_are_refused_saying_which() {
    assertThatThrownBy(() -> CronSchedule.parse("61 * * * *", "UTC"))
        .hasMessageContaining("cron expression");
    assertThatThrownBy(() -> CronSchedule.parse("* * * *", "UTC"))
        .hasMessageContaining("cron expression");
    assertThatThrownBy(() -> CronSchedule.parse("* * * * *", "Mars/Olympus"))
        .hasMessageContaining("unknown time zone");
  }
}
