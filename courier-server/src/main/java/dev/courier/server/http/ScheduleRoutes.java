package dev.courier.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.envelope.CanonicalJson;
import dev.courier.server.auth.Operator;
import dev.courier.server.auth.Permission;
import dev.courier.server.common.Page;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.error.NotFoundException;
import dev.courier.server.fleet.CronSchedule;
import dev.courier.server.fleet.MissedRunPolicy;
import dev.courier.server.fleet.Schedule;
import dev.courier.server.fleet.ScheduleRequest;
import dev.courier.server.fleet.ScheduleService;
import dev.courier.server.fleet.TargetSelector;
import dev.courier.server.tenant.TenantId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/schedules}: cron schedules that fire a rollout at each due time; and {@code
 * /api/v1/scan-schedules}, the same schedules of type {@code scan} in seed 004's field names
 * ({@code scanner}, {@code target}, {@code config}).
 */
public final class ScheduleRoutes implements RouteModule {

  static final String SCAN = "scan";
  static final int UPCOMING = 5;
  static final int PREVIEW_RUNS = 5;
  static final int MAX_PREVIEW_RUNS = 50;

  private final RequestAuth auth;
  private final Bodies bodies;
  private final ScheduleService schedules;
  private final Clock clock;

  public ScheduleRoutes(RequestAuth auth, Bodies bodies, ScheduleService schedules, Clock clock) {
    this.auth = auth;
    this.bodies = bodies;
    this.schedules = schedules;
    this.clock = clock;
  }

  @Override
  public void register(RoutesConfig routes) {
    Access read = Access.operator(Permission.SCHEDULES_READ);
    Access write = Access.operator(Permission.SCHEDULES_WRITE);
    routes.post("/api/v1/schedules", ctx -> create(ctx, false), write);
    routes.get("/api/v1/schedules", ctx -> list(ctx, false), read);
    routes.get("/api/v1/schedules/preview", this::preview, read);
    routes.get("/api/v1/schedules/{id}", ctx -> get(ctx, false), read);
    routes.patch("/api/v1/schedules/{id}", this::update, write);
    routes.delete("/api/v1/schedules/{id}", this::delete, write);
    routes.post("/api/v1/scan-schedules", ctx -> create(ctx, true), write);
    routes.get("/api/v1/scan-schedules", ctx -> list(ctx, true), read);
    routes.get("/api/v1/scan-schedules/{id}", ctx -> get(ctx, true), read);
  }

  private void create(Context ctx, boolean scan) {
    Operator operator = auth.operator(ctx);
    ObjectNode body = bodies.object(ctx);
    ScheduleRequest request = scan ? scanRequest(body) : request(body, true);
    Schedule schedule =
        schedules.create(
            operator, Bodies.text(body, "tenant_id").map(TenantId::of).orElse(null), request);
    String path = (scan ? "/api/v1/scan-schedules/" : "/api/v1/schedules/") + schedule.id();
    ctx.status(201).header(Header.LOCATION, path).json(view(schedule, scan));
  }

  /**
   * What a cron expression means and when it would fire next, before it is saved: the console's
   * schedule form shows it as the operator types.
   */
  private void preview(Context ctx) {
    auth.operator(ctx);
    String expression = QueryParams.text(ctx, "cron_expression");
    String timezone = QueryParams.text(ctx, "timezone");
    int count = QueryParams.integer(ctx, "count").orElse(PREVIEW_RUNS);
    if (count < 1 || count > MAX_PREVIEW_RUNS) {
      throw new InvalidInputException("count must be between 1 and " + MAX_PREVIEW_RUNS, "count");
    }
    CronSchedule schedule;
    try {
      CronSchedule.zone(timezone);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), "timezone");
    }
    try {
      schedule = CronSchedule.parse(expression, timezone);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), "cron_expression");
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("cron_expression", schedule.expression());
    view.put("timezone", schedule.zone().getId());
    view.put("description", schedule.describe());
    view.put(
        "next_runs",
        schedule.upcoming(clock.instant(), count).stream().map(Instant::toString).toList());
    ctx.json(view);
  }

  private void list(Context ctx, boolean scan) {
    Page<Schedule> page =
        schedules.list(auth.operator(ctx), scan ? SCAN : null, QueryParams.page(ctx));
    ctx.json(
        Map.of(
            "schedules",
            page.items().stream().map(s -> view(s, scan)).toList(),
            "next_cursor",
            page.nextCursor().orElse("")));
  }

  private void get(Context ctx, boolean scan) {
    Schedule schedule = schedules.get(auth.operator(ctx), ctx.pathParam("id"));
    if (scan && !schedule.type().equals(SCAN)) {
      throw new NotFoundException("no scan schedule " + schedule.id(), "id");
    }
    ctx.json(view(schedule, scan));
  }

  private void update(Context ctx) {
    Schedule schedule =
        schedules.update(
            auth.operator(ctx), ctx.pathParam("id"), request(bodies.object(ctx), false));
    ctx.json(view(schedule, false));
  }

  private void delete(Context ctx) {
    schedules.delete(auth.operator(ctx), ctx.pathParam("id"));
    ctx.status(204);
  }

  /** The generic form; for a create the required fields are checked by the service. */
  private static ScheduleRequest request(ObjectNode body, boolean create) {
    JsonNode selector = body.get("selector");
    return new ScheduleRequest(
        Bodies.text(body, "name").orElse(null),
        Bodies.text(body, "description").orElse(null),
        Bodies.text(body, "cron_expression", "cron").orElse(null),
        Bodies.text(body, "timezone").orElse(null),
        create
            ? Bodies.requiredText(body, "type", "command_type")
            : Bodies.text(body, "type", "command_type").orElse(null),
        Bodies.object(body, "params", "payload").orElse(null),
        selector == null && !create ? null : TargetSelector.fromJson(selector, "selector"),
        Bodies.priority(body),
        RolloutRoutes.limit(body, "max_concurrency", 1),
        RolloutRoutes.limit(body, "max_errors", 0),
        bool(body, "enabled"),
        policy(body));
  }

  /** Seed 004's scan schedule: scanner, target and config become a scan's params. */
  private static ScheduleRequest scanRequest(ObjectNode body) {
    ObjectNode params = CanonicalJson.emptyObject();
    params.put("scanner", Bodies.requiredText(body, "scanner"));
    params.put("target", Bodies.requiredText(body, "target"));
    Bodies.object(body, "config").ifPresent(config -> params.set("config", config));
    JsonNode selector = body.get("selector");
    return new ScheduleRequest(
        Bodies.requiredText(body, "name"),
        Bodies.text(body, "description").orElse(null),
        Bodies.requiredText(body, "cron_expression"),
        Bodies.text(body, "timezone").orElse(null),
        SCAN,
        params,
        selector == null ? new TargetSelector.All() : TargetSelector.fromJson(selector, "selector"),
        Bodies.priority(body),
        RolloutRoutes.limit(body, "max_concurrency", 1),
        RolloutRoutes.limit(body, "max_errors", 0),
        bool(body, "enabled"),
        policy(body));
  }

  private static Boolean bool(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      throw new InvalidInputException("must be true or false", field);
    }
    return node.asBoolean();
  }

  private static MissedRunPolicy policy(ObjectNode body) {
    return Bodies.text(body, "missed_run_policy")
        .map(
            value -> {
              try {
                return MissedRunPolicy.fromWire(value);
              } catch (IllegalArgumentException e) {
                throw new InvalidInputException(
                    "missed_run_policy must be run_once or skip", "missed_run_policy");
              }
            })
        .orElse(null);
  }

  private Map<String, Object> view(Schedule s, boolean scan) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", s.id());
    view.put("tenant_id", s.tenantId().value());
    view.put("name", s.name());
    view.put("description", s.description());
    if (scan) {
      view.put("scanner", s.params().path("scanner").asText(null));
      view.put("target", s.params().path("target").asText(null));
      view.put("config", s.params().get("config"));
    } else {
      view.put("type", s.type());
      view.put("params", s.params());
    }
    view.put("selector", s.selector().toJson());
    view.put("cron_expression", s.cron().expression());
    view.put("timezone", s.cron().zone().getId());
    view.put("enabled", s.enabled());
    view.put("missed_run_policy", s.missedRunPolicy().wireName());
    view.put("priority", s.priority().wireName());
    view.put("max_concurrency", s.maxConcurrency() == null ? null : s.maxConcurrency().text());
    view.put("max_errors", s.maxErrors() == null ? null : s.maxErrors().text());
    view.put("next_run_at", s.nextRunAt());
    view.put("last_run_at", s.lastRunAt());
    view.put("last_error", s.lastError());
    view.put(
        "upcoming_runs", s.enabled() ? s.cron().upcoming(clock.instant(), UPCOMING) : List.of());
    view.put("created_by", s.createdBy());
    view.put("created_at", s.createdAt());
    view.put("updated_at", s.updatedAt());
    return view;
  }
}
