package dev.courier.server.fleet;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A five-field Unix cron expression in an IANA time zone, and the one rule for its due times across
 * daylight-saving changes: the expression names wall-clock times; a time that does not exist
 * (spring forward) runs at the same distance past the gap, so 02:30 becomes 03:30 and a daily job
 * never skips a day; a time that exists twice (fall back) runs once, at its first occurrence.
 */
public final class CronSchedule {

  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /** More candidate wall-clock times than one gap or overlap can swallow. */
  private static final int MAX_CANDIDATES = 1_000;

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime times;
  private final Cron cron;

  private CronSchedule(String expression, ZoneId zone, Cron cron) {
    this.expression = expression;
    this.zone = zone;
    this.cron = cron;
    this.times = ExecutionTime.forCron(cron);
  }

  /** The expression in English words, such as "every hour at minute 15" (the console's preview). */
  public String describe() {
    return CronDescriptor.instance(Locale.ENGLISH).describe(cron);
  }

  /**
   * @throws IllegalArgumentException naming what is wrong with the expression or the zone
   */
  public static CronSchedule parse(String expression, String timezone) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("cron_expression is required");
    }
    ZoneId zone = zone(timezone);
    Cron cron;
    try {
      cron = PARSER.parse(expression.strip());
      cron.validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + expression + "' is not a five-field cron expression: " + e.getMessage());
    }
    return new CronSchedule(expression.strip(), zone, cron);
  }

  /**
   * The IANA zone a schedule names; UTC when none.
   *
   * @throws IllegalArgumentException for a zone the JDK does not know
   */
  public static ZoneId zone(String timezone) {
    try {
      return ZoneId.of(timezone == null || timezone.isBlank() ? "UTC" : timezone.strip());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone '" + timezone + "'");
    }
  }

  /** The first due time strictly after {@code after}, if the expression ever fires again. */
  public Optional<Instant> nextAfter(Instant after) {
    // Walk wall-clock times (cron-utils in a zone without transitions), then place each in the
    // real zone; skip candidates a gap moved onto or before a time already passed.
    LocalDateTime local = LocalDateTime.ofInstant(after, zone);
    for (int i = 0; i < MAX_CANDIDATES; i++) {
      Optional<ZonedDateTime> next = times.nextExecution(local.atZone(ZoneOffset.UTC));
      if (next.isEmpty()) {
        return Optional.empty();
      }
      local = next.get().toLocalDateTime();
      Instant candidate = ZonedDateTime.of(local, zone).toInstant();
      if (candidate.isAfter(after)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The next {@code count} due times after {@code after}. */
  public List<Instant> upcoming(Instant after, int count) {
    List<Instant> upcoming = new ArrayList<>(count);
    Instant cursor = after;
    for (int i = 0; i < count; i++) {
      Optional<Instant> next = nextAfter(cursor);
      if (next.isEmpty()) {
        break;
      }
      upcoming.add(next.get());
      cursor = next.get();
    }
    return upcoming;
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }
}
