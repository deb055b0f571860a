package dev.courier.server.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.Priority;
import dev.courier.protocol.envelope.CanonicalJson;
import dev.courier.server.auth.Operator;
import dev.courier.server.command.CommandType;
import dev.courier.server.command.CommandTypeCatalog;
import dev.courier.server.common.Ids;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.error.NotFoundException;
import dev.courier.server.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Create, read, edit and delete schedules; firing them is the {@link ScheduleRunner}'s. */
public final class ScheduleService {

  static final int MAX_NAME = 200;

  private final ScheduleRepository schedules;
  private final CommandTypeCatalog types;
  private final Clock clock;

  public ScheduleService(ScheduleRepository schedules, CommandTypeCatalog types, Clock clock) {
    this.schedules = schedules;
    this.types = types;
    this.clock = clock;
  }

  public Schedule create(Operator operator, TenantId tenantId, ScheduleRequest request) {
    TenantId tenant = tenantOf(operator, tenantId);
    if (request.selector() == null) {
      throw new InvalidInputException("selector is required", "selector");
    }
    Instant now = clock.instant();
    CronSchedule cron = cron(request.cronExpression(), request.timezone());
    boolean enabled = request.enabled() == null || request.enabled();
    Schedule schedule =
        new Schedule(
            Ids.newId(),
            tenant,
            name(request.name()),
            request.description(),
            cron,
            type(request.type(), request.params()).name(),
            params(request.params()),
            request.selector(),
            request.priority() == null ? Priority.NORMAL : request.priority(),
            request.maxConcurrency(),
            request.maxErrors(),
            enabled,
            request.missedRunPolicy() == null
                ? MissedRunPolicy.RUN_ONCE
                : request.missedRunPolicy(),
            enabled ? cron.nextAfter(now).orElse(null) : null,
            null,
            null,
            operator.userId().value(),
            now,
            now);
    schedules.insert(schedule);
    return schedule;
  }

  /** Applies the fields the edit names; a new expression, zone or re-enabling moves next_run_at. */
  public Schedule update(Operator operator, String id, ScheduleRequest edit) {
    Schedule old = get(operator, id);
    Instant now = clock.instant();
    CronSchedule cron =
        edit.cronExpression() == null && edit.timezone() == null
            ? old.cron()
            : cron(
                edit.cronExpression() == null ? old.cron().expression() : edit.cronExpression(),
                edit.timezone() == null ? old.cron().zone().getId() : edit.timezone());
    String type = edit.type() == null ? old.type() : edit.type();
    ObjectNode params = edit.params() == null ? old.params() : edit.params();
    type(type, params);
    boolean enabled = edit.enabled() == null ? old.enabled() : edit.enabled();
    boolean timing = cron != old.cron() || enabled != old.enabled();
    Instant next = !enabled ? null : timing ? cron.nextAfter(now).orElse(null) : old.nextRunAt();
    Schedule updated =
        new Schedule(
            old.id(),
            old.tenantId(),
            edit.name() == null ? old.name() : name(edit.name()),
            edit.description() == null ? old.description() : edit.description(),
            cron,
            type,
            params,
            edit.selector() == null ? old.selector() : edit.selector(),
            edit.priority() == null ? old.priority() : edit.priority(),
            edit.maxConcurrency() == null ? old.maxConcurrency() : edit.maxConcurrency(),
            edit.maxErrors() == null ? old.maxErrors() : edit.maxErrors(),
            enabled,
            edit.missedRunPolicy() == null ? old.missedRunPolicy() : edit.missedRunPolicy(),
            next,
            old.lastRunAt(),
            old.lastError(),
            old.createdBy(),
            old.createdAt(),
            now);
    schedules.update(updated);
    return updated;
  }

  public Schedule get(Operator operator, String id) {
    return operator
        .tenantScope()
        .map(tenant -> schedules.find(tenant, id))
        .orElseGet(() -> schedules.find(id))
        .orElseThrow(() -> new NotFoundException("no schedule " + id, "id"));
  }

  /**
   * @param type only schedules of this command type (the scan-schedules view), or null
   */
  public Page<Schedule> list(Operator operator, String type, PageRequest page) {
    return schedules.list(operator.tenantScope().orElse(null), type, page);
  }

  public void delete(Operator operator, String id) {
    Schedule schedule = get(operator, id);
    schedules.delete(schedule.tenantId(), schedule.id());
  }

  private CommandType type(String name, ObjectNode params) {
    CommandType type = types.require(name, "type");
    types.validateParams(type, params(params));
    return type;
  }

  private static ObjectNode params(ObjectNode params) {
    return params == null ? CanonicalJson.emptyObject() : params;
  }

  private static CronSchedule cron(String expression, String timezone) {
    try {
      CronSchedule.zone(timezone);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), "timezone");
    }
    try {
      return CronSchedule.parse(expression, timezone);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), "cron_expression");
    }
  }

  private static String name(String name) {
    if (name == null || name.isBlank() || name.length() > MAX_NAME) {
      throw new InvalidInputException("name must be 1 to " + MAX_NAME + " characters", "name");
    }
    return name.strip();
  }

  private static TenantId tenantOf(Operator operator, TenantId requested) {
    Optional<TenantId> scope = operator.tenantScope();
    if (scope.isEmpty()) {
      if (requested == null) {
        throw new InvalidInputException(
            "a system admin must name the tenant the schedule runs in", "tenant_id");
      }
      return requested;
    }
    if (requested != null && !requested.equals(scope.get())) {
      throw new ForbiddenException("you may only act in your own tenant", "tenant_id");
    }
    return scope.get();
  }
}
