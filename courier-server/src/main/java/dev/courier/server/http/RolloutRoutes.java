package dev.courier.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.envelope.CanonicalJson;
import dev.courier.server.agent.AgentStatus;
import dev.courier.server.agent.AgentTarget;
import dev.courier.server.auth.Operator;
import dev.courier.server.auth.Permission;
import dev.courier.server.common.Page;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.fleet.LabelSelector;
import dev.courier.server.fleet.NewRollout;
import dev.courier.server.fleet.Rollout;
import dev.courier.server.fleet.RolloutCounts;
import dev.courier.server.fleet.RolloutLimit;
import dev.courier.server.fleet.RolloutQuery;
import dev.courier.server.fleet.RolloutService;
import dev.courier.server.fleet.RolloutStatus;
import dev.courier.server.fleet.TargetSelector;
import dev.courier.server.tenant.TenantId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/rollouts}: one request fanned out to many agents, its progress, its cancel. */
public final class RolloutRoutes implements RouteModule {

  static final int PREVIEW_SAMPLE = 100;

  private final RequestAuth auth;
  private final Bodies bodies;
  private final RolloutService rollouts;
  private final CommandViews views;

  public RolloutRoutes(
      RequestAuth auth, Bodies bodies, RolloutService rollouts, CommandViews views) {
    this.auth = auth;
    this.bodies = bodies;
    this.rollouts = rollouts;
    this.views = views;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/v1/rollouts", this::create, Access.operator(Permission.COMMANDS_WRITE));
    routes.get("/api/v1/rollouts", this::list, Access.operator(Permission.COMMANDS_READ));
    routes.get(
        "/api/v1/rollouts/preview", this::preview, Access.operator(Permission.COMMANDS_READ));
    routes.get("/api/v1/rollouts/{id}", this::get, Access.operator(Permission.COMMANDS_READ));
    routes.delete(
        "/api/v1/rollouts/{id}", this::cancel, Access.operator(Permission.COMMANDS_WRITE));
  }

  private void create(Context ctx) {
    Operator operator = auth.operator(ctx);
    ObjectNode body = bodies.object(ctx);
    Rollout rollout =
        rollouts.create(
            operator,
            Bodies.text(body, "tenant_id").map(TenantId::of).orElse(null),
            newRollout(body));
    ctx.status(201).header(Header.LOCATION, "/api/v1/rollouts/" + rollout.id()).json(view(rollout));
  }

  /** Reads a rollout request; shared with schedules, whose bodies carry the same fields. */
  static NewRollout newRollout(ObjectNode body) {
    TargetSelector selector = TargetSelector.fromJson(body.get("selector"), "selector");
    return new NewRollout(
        selector,
        Bodies.requiredText(body, "type", "command_type"),
        Bodies.object(body, "params", "payload").orElseGet(CanonicalJson::emptyObject),
        limit(body, "max_concurrency", 1),
        limit(body, "max_errors", 0),
        Bodies.integer(body, "canary").map(Long::intValue).orElse(null),
        Bodies.priority(body),
        Bodies.integer(body, "timeout_seconds").map(Duration::ofSeconds).orElse(null));
  }

  /** A count or a percentage, as rollouts and schedules take their limits. */
  static RolloutLimit limit(ObjectNode body, String field, int minimum) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() && !node.isTextual()) {
      throw new InvalidInputException(
          "must be a whole number or a percentage such as \"10%\"", field);
    }
    return RolloutLimit.parse(node.asText(), minimum, field);
  }

  private void list(Context ctx) {
    Operator operator = auth.operator(ctx);
    String status = QueryParams.text(ctx, "status");
    RolloutQuery query =
        new RolloutQuery(
            null, status == null ? null : status(status), QueryParams.text(ctx, "schedule_id"));
    Page<Rollout> page = rollouts.list(operator, query, QueryParams.page(ctx));
    ctx.json(
        Map.of(
            "rollouts",
            page.items().stream().map(this::view).toList(),
            "next_cursor",
            page.nextCursor().orElse("")));
  }

  private void get(Context ctx) {
    ctx.json(view(rollouts.get(auth.operator(ctx), ctx.pathParam("id"))));
  }

  private void cancel(Context ctx) {
    ctx.json(view(rollouts.cancel(auth.operator(ctx), ctx.pathParam("id"))));
  }

  /** How many agents a selector picks right now: the console's preview before creating. */
  private void preview(Context ctx) {
    Operator operator = auth.operator(ctx);
    String tenant = QueryParams.text(ctx, "tenant_id");
    List<AgentTarget> targets =
        rollouts.preview(
            operator, tenant == null ? null : TenantId.of(tenant), selectorFromQuery(ctx));
    long online = targets.stream().filter(t -> t.status() == AgentStatus.ONLINE).count();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("count", targets.size());
    view.put("online", online);
    view.put("offline", targets.size() - online);
    view.put("agent_ids", targets.stream().limit(PREVIEW_SAMPLE).map(t -> t.id().value()).toList());
    ctx.json(view);
  }

  private static TargetSelector selectorFromQuery(Context ctx) {
    String labels = QueryParams.text(ctx, "labels");
    String ids = QueryParams.text(ctx, "agent_ids");
    String all = QueryParams.text(ctx, "all");
    int given = (labels == null ? 0 : 1) + (ids == null ? 0 : 1) + (all == null ? 0 : 1);
    if (given != 1) {
      throw new InvalidInputException(
          "give exactly one of labels, agent_ids (comma-separated) or all=true", "selector");
    }
    if (labels != null) {
      try {
        return new TargetSelector.Labels(LabelSelector.parse(labels));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(e.getMessage(), "labels");
      }
    }
    if (ids != null) {
      return new TargetSelector.AgentIds(
          Arrays.stream(ids.split(","))
              .map(String::strip)
              .filter(s -> !s.isEmpty())
              .map(AgentId::of)
              .distinct()
              .toList());
    }
    if (!all.equals("true")) {
      throw new InvalidInputException("all must be true", "all");
    }
    return new TargetSelector.All();
  }

  private static RolloutStatus status(String raw) {
    try {
      return RolloutStatus.fromWire(raw);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "status must be one of canary, running, completed, failed, cancelled", "status");
    }
  }

  Map<String, Object> view(Rollout rollout) {
    RolloutCounts c = rollout.counts();
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("queued", c.queued());
    counts.put("pending", c.pending());
    counts.put("accepted", c.accepted());
    counts.put("running", c.running());
    counts.put("cancelling", c.cancelling());
    counts.put("completed", c.completed());
    counts.put("failed", c.failed());
    counts.put("timed_out", c.timedOut());
    counts.put("cancelled", c.cancelled());
    counts.put("expired", c.expired());
    counts.put("skipped", c.skipped());
    counts.put("offline", c.offline());
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", rollout.id());
    view.put("tenant_id", rollout.tenantId().value());
    view.put("schedule_id", rollout.scheduleId());
    view.put("status", rollout.status().wireName());
    view.put("type", rollout.type());
    view.put("params", views.parse(rollout.paramsJson()));
    view.put("selector", rollout.selector().toJson());
    view.put("priority", rollout.priority().wireName());
    view.put("timeout_seconds", rollout.timeout().toSeconds());
    view.put("max_concurrency", rollout.maxConcurrency());
    view.put("max_errors", rollout.maxErrors());
    view.put("canary", rollout.canary());
    view.put("target_count", c.targets());
    view.put("counts", counts);
    view.put(
        "progress_percent",
        c.targets() == 0 ? 100 : (int) ((c.finished() + c.skipped()) * 100L / c.targets()));
    view.put("reason", rollout.reason());
    view.put("created_by", rollout.createdBy());
    view.put("created_at", rollout.createdAt());
    view.put("completed_at", rollout.completedAt());
    view.put("updated_at", rollout.updatedAt());
    return view;
  }
}
