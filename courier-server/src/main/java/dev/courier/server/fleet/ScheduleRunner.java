package dev.courier.server.fleet;

import dev.courier.protocol.envelope.CanonicalJson;
import dev.courier.server.common.Transactions;
import dev.courier.server.events.Event;
import dev.courier.server.events.EventOutbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due schedules, each due time once across every server node: due schedules are claimed with
 * their rows locked (skipped by other nodes on PostgreSQL) and advanced in the same transaction
 * that creates their rollout.
 */
public final class ScheduleRunner {

  private static final Logger log = LoggerFactory.getLogger(ScheduleRunner.class);

  /** A due time later than this is "missed" and handled by the schedule's missed-run policy. */
  public static final Duration MISSED_AFTER = Duration.ofMinutes(2);

  static final int BATCH = 50;

  private final Transactions transactions;
  private final ScheduleRepository schedules;
  private final RolloutService rollouts;
  private final EventOutbox events;
  private final Clock clock;

  public ScheduleRunner(
      Transactions transactions,
      ScheduleRepository schedules,
      RolloutService rollouts,
      EventOutbox events,
      Clock clock) {
    this.transactions = transactions;
    this.schedules = schedules;
    this.rollouts = rollouts;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Handles every schedule due now, a batch per transaction.
   *
   * @return how many due schedules were handled (fired or skipped)
   */
  public int fireDue() {
    int handled = 0;
    int batch;
    do {
      Instant now = clock.instant();
      batch =
          transactions.inTransaction(
              () -> {
                List<Schedule> due = schedules.claimDue(now, BATCH);
                due.forEach(schedule -> handle(schedule, now));
                return due.size();
              });
      handled += batch;
    } while (batch == BATCH);
    return handled;
  }

  private void handle(Schedule schedule, Instant now) {
    boolean missed = schedule.nextRunAt().isBefore(now.minus(MISSED_AFTER));
    Instant next = schedule.cron().nextAfter(now).orElse(null);
    if (missed && schedule.missedRunPolicy() == MissedRunPolicy.SKIP) {
      schedules.advance(schedule.id(), null, next, null, now);
      append(schedule, "schedule.skipped", now, "missed due time " + schedule.nextRunAt());
      return;
    }
    try {
      // A savepoint: a rollout that cannot start leaves this schedule advanced, not the batch
      // rolled back (which would retry the same failure forever).
      Rollout rollout =
          transactions.inTransaction(
              () ->
                  rollouts.createForSchedule(
                      schedule.tenantId(),
                      schedule.id(),
                      schedule.rollout(),
                      "schedule:" + schedule.id()));
      schedules.advance(schedule.id(), now, next, null, now);
      append(schedule, "schedule.fired", now, "rollout " + rollout.id());
    } catch (RuntimeException e) {
      log.warn("schedule {} could not start its rollout: {}", schedule.id(), e.getMessage());
      schedules.advance(schedule.id(), now, next, e.getMessage(), now);
      append(schedule, "schedule.failed", now, e.getMessage());
    }
  }

  private void append(Schedule schedule, String type, Instant now, String detail) {
    String payload =
        CanonicalJson.emptyObject()
            .put("schedule_id", schedule.id())
            .put("detail", detail)
            .toString();
    events.append(Event.of(schedule.tenantId(), type, schedule.id(), payload, now));
  }
}
