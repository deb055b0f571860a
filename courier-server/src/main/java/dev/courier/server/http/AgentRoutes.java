package dev.courier.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.envelope.CanonicalJson;
import dev.courier.protocol.http.EnrollRequest;
import dev.courier.protocol.http.EnrollResponse;
import dev.courier.protocol.http.HeartbeatCommandResult;
import dev.courier.protocol.http.HeartbeatRequest;
import dev.courier.protocol.http.HeartbeatResponse;
import dev.courier.protocol.http.LocalRunReport;
import dev.courier.protocol.http.LocalRunsRequest;
import dev.courier.protocol.http.LocalRunsResponse;
import dev.courier.protocol.http.PolledCommand;
import dev.courier.server.agent.Agent;
import dev.courier.server.agent.AgentCounts;
import dev.courier.server.agent.AgentCredentials;
import dev.courier.server.agent.AgentQuery;
import dev.courier.server.agent.AgentService;
import dev.courier.server.agent.AgentStatus;
import dev.courier.server.agent.DecommissionedAgent;
import dev.courier.server.agent.EnrolledAgent;
import dev.courier.server.agent.Enrollment;
import dev.courier.server.agent.EnrollmentService;
import dev.courier.server.agent.RotatedKey;
import dev.courier.server.auth.Operator;
import dev.courier.server.auth.Permission;
import dev.courier.server.command.Command;
import dev.courier.server.command.CommandDelivery;
import dev.courier.server.command.CommandEnvelopes;
import dev.courier.server.command.CommandQuery;
import dev.courier.server.command.CommandService;
import dev.courier.server.command.LocalRun;
import dev.courier.server.command.LocalRuns;
import dev.courier.server.command.ReportedResult;
import dev.courier.server.common.Page;
import dev.courier.server.error.CourierException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.tenant.TenantId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/agents}: operators read agents and their history, revoke and decommission them;
 * agents enroll, rotate their keys and send seed 000 heartbeats, which carry results in and pending
 * commands out.
 */
public final class AgentRoutes implements RouteModule {

  private static final Logger log = LoggerFactory.getLogger(AgentRoutes.class);

  /** The listed status of an agent taken out of service, whatever its last presence. */
  static final String DECOMMISSIONED = "decommissioned";

  private final RequestAuth auth;
  private final Bodies bodies;
  private final AgentService agents;
  private final AgentCredentials credentials;
  private final EnrollmentService enrollment;
  private final CommandService commands;
  private final LocalRuns localRuns;
  private final CommandDelivery delivery;
  private final CommandEnvelopes envelopes;
  private final CommandViews commandViews;
  private final Duration pollInterval;
  private final Clock clock;

  public AgentRoutes(
      RequestAuth auth,
      Bodies bodies,
      AgentService agents,
      AgentCredentials credentials,
      EnrollmentService enrollment,
      CommandService commands,
      LocalRuns localRuns,
      CommandDelivery delivery,
      CommandEnvelopes envelopes,
      CommandViews commandViews,
      Duration pollInterval,
      Clock clock) {
    this.auth = auth;
    this.bodies = bodies;
    this.agents = agents;
    this.credentials = credentials;
    this.enrollment = enrollment;
    this.commands = commands;
    this.localRuns = localRuns;
    this.delivery = delivery;
    this.envelopes = envelopes;
    this.commandViews = commandViews;
    this.pollInterval = pollInterval;
    this.clock = clock;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/v1/agents/enroll", this::enroll, Access.PUBLIC);
    routes.post("/api/v1/agents/heartbeat", this::heartbeat, Access.AGENT);
    routes.post("/api/v1/agents/local-runs", this::localRuns, Access.AGENT);
    routes.get("/api/v1/agents", this::list, Access.operator(Permission.AGENTS_READ));
    routes.get(
        "/api/v1/agents/summary",
        ctx -> {
          String tenant = QueryParams.text(ctx, "tenant_id");
          AgentCounts counts =
              agents.count(auth.operator(ctx), tenant == null ? null : TenantId.of(tenant));
          Map<String, Object> view = new LinkedHashMap<>();
          view.put("total", counts.total());
          view.put("online", counts.online());
          view.put("offline", counts.offline());
          view.put("decommissioned", counts.decommissioned());
          ctx.json(view);
        },
        Access.operator(Permission.AGENTS_READ));
    routes.patch(
        "/api/v1/agents/{id}",
        ctx -> {
          ObjectNode body = bodies.object(ctx);
          Map<String, String> labels =
              Bodies.stringMap(body, "labels")
                  .orElseThrow(() -> new InvalidInputException("labels is required", "labels"));
          ctx.json(view(agents.replaceLabels(auth.operator(ctx), agentId(ctx), labels)));
        },
        Access.operator(Permission.AGENTS_WRITE));
    routes.get(
        "/api/v1/agents/{id}",
        ctx -> {
          Operator operator = auth.operator(ctx);
          ctx.json(view(agents.get(operator, agentId(ctx))));
        },
        Access.operator(Permission.AGENTS_READ));
    // The history is a list of commands, so it needs what reading commands needs.
    routes.get(
        "/api/v1/agents/{id}/commands", this::history, Access.operator(Permission.COMMANDS_READ));
    // Operators are always refused here (only the agent can receive its new key), but one who
    // could revoke instead is told how.
    routes.post(
        "/api/v1/agents/{id}/rotate-key",
        this::rotateKey,
        Access.agentOrOperator(Permission.AGENTS_WRITE));
    routes.post(
        "/api/v1/agents/{id}/revoke",
        ctx -> ctx.json(view(credentials.revoke(auth.operator(ctx), agentId(ctx)))),
        Access.operator(Permission.AGENTS_WRITE));
    routes.delete(
        "/api/v1/agents/{id}", this::decommission, Access.operator(Permission.AGENTS_WRITE));
  }

  /** The agent rotates its own key; an operator is told to revoke instead. */
  private void rotateKey(Context ctx) {
    if (!auth.isAgent(ctx)) {
      credentials.refuseOperatorRotation(auth.operator(ctx), agentId(ctx));
      return;
    }
    Agent agent = auth.agent(ctx);
    RotatedKey rotated =
        credentials.rotate(agent, RequestAuth.bearer(ctx).orElseThrow(), agentId(ctx));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("agent_id", rotated.agentId().value());
    answer.put("agent_key", rotated.agentKey());
    answer.put("previous_key_expires_at", rotated.previousKeyExpiresAt());
    ctx.json(answer);
  }

  private void decommission(Context ctx) {
    DecommissionedAgent done = credentials.decommission(auth.operator(ctx), agentId(ctx));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("agent", view(done.agent()));
    answer.put(
        "queue",
        Map.of(
            "cancelled", done.queue().cancelled(),
            "cancelling", done.queue().cancelling()));
    ctx.json(answer);
  }

  private void enroll(Context ctx) {
    EnrollRequest request = bodies.as(ctx, EnrollRequest.class);
    EnrolledAgent enrolled =
        enrollment.enroll(
            new Enrollment(
                request.enrollmentToken(),
                request.hostname(),
                request.os(),
                request.arch(),
                request.version(),
                request.labels()));
    AuditedEndpoints.identify(
        ctx, "agent:" + enrolled.agent().id().value(), enrolled.agent().tenantId());
    ctx.status(201)
        .header(Header.LOCATION, "/api/v1/agents/" + enrolled.agent().id().value())
        .json(
            new EnrollResponse(
                enrolled.agent().id(), enrolled.agentKey(), enrolled.serverPublicKey()));
  }

  /** Runs of the agent's local schedules, recorded in the same history as server commands. */
  private void localRuns(Context ctx) {
    Agent agent = auth.agent(ctx);
    LocalRunsRequest request = bodies.as(ctx, LocalRunsRequest.class);
    List<LocalRun> runs = new ArrayList<>(request.runs().size());
    for (LocalRunReport run : request.runs()) {
      runs.add(
          new LocalRun(
              run.localRunId(),
              run.schedule(),
              run.type(),
              run.params() == null ? "{}" : CanonicalJson.write(run.params()),
              run.startedAt(),
              run.result().completedAt(),
              ReportedResult.from(run.result())));
    }
    List<CommandId> ids = localRuns.record(agent, runs);
    ctx.json(new LocalRunsResponse(ids.stream().map(CommandId::value).toList()));
  }

  private void heartbeat(Context ctx) {
    Agent agent = auth.agent(ctx);
    HeartbeatRequest request = ctx.body().isBlank() ? null : bodies.as(ctx, HeartbeatRequest.class);
    if (request != null && request.agentId() != null && !request.agentId().equals(agent.id())) {
      throw new InvalidInputException("agent_id does not match the agent key", "agent_id");
    }
    agents.heartbeat(
        agent,
        request == null ? null : request.version(),
        request == null || request.capabilities().isEmpty() ? null : request.capabilities());
    if (request != null) {
      for (HeartbeatCommandResult item : request.commandResults()) {
        applyHeartbeatResult(agent, item);
      }
    }
    // An agent with few free slots says so with ?limit=, so it is not handed more than it can run;
    // limit=0 is a pure sign of life from an agent whose slots are all busy.
    int limit = QueryParams.integer(ctx, "limit").orElse(CommandDelivery.MAX_BATCH);
    if (limit < 0 || limit > CommandDelivery.MAX_BATCH) {
      throw new InvalidInputException(
          "limit must be between 0 and " + CommandDelivery.MAX_BATCH, "limit");
    }
    List<Command> claimed = limit == 0 ? List.of() : delivery.claim(agent, limit);
    List<PolledCommand> pending =
        claimed.stream()
            .map(command -> PolledCommand.from(envelopes.envelopeFor(command), command.createdAt()))
            .toList();
    ctx.json(new HeartbeatResponse(pending, (int) pollInterval.toSeconds(), clock.instant()));
  }

  /**
   * One bad item must not make the agent resend a whole batch forever: it is logged and skipped,
   * and the rest are applied. (A repeat of an already stored result is accepted silently.)
   */
  private void applyHeartbeatResult(Agent agent, HeartbeatCommandResult item) {
    try {
      switch (item.status()) {
        case RUNNING -> delivery.start(agent, item.commandId());
        case ACCEPTED -> {}
        default -> delivery.report(agent, item.commandId(), ReportedResult.from(item));
      }
    } catch (CourierException | IllegalArgumentException e) {
      log.warn(
          "Agent {} reported {} for {} via heartbeat; not applied: {}",
          agent.id(),
          item.status().wireName(),
          item.commandId(),
          e.getMessage());
    }
  }

  private void list(Context ctx) {
    Operator operator = auth.operator(ctx);
    // Decommissioned agents are hidden unless asked for by name: they are no longer targets.
    AgentQuery query = new AgentQuery(null, null);
    String raw = ctx.queryParam("status");
    if (raw != null && !raw.isBlank()) {
      String status = raw.trim().toLowerCase(Locale.ROOT);
      if (status.equals(DECOMMISSIONED)) {
        query = AgentQuery.decommissionedOnly();
      } else {
        try {
          query = new AgentQuery(null, AgentStatus.fromWireName(status));
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException(
              "status must be online, offline or decommissioned", "status");
        }
      }
    }
    query =
        query.matching(QueryParams.text(ctx, "q"), labelFilter(QueryParams.text(ctx, "labels")));
    Page<Agent> page = agents.list(operator, query, QueryParams.page(ctx));
    ctx.json(
        Map.of(
            "agents", page.items().stream().map(AgentRoutes::view).toList(),
            "next_cursor", page.nextCursor().orElse("")));
  }

  /** {@code key=value} pairs joined by commas: the agents carrying all of them. */
  static Map<String, String> labelFilter(String text) {
    if (text == null) {
      return null;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new InvalidInputException(
            "labels must be key=value pairs joined by commas, such as env=prod,os=linux", "labels");
      }
      labels.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
    }
    return labels;
  }

  private void history(Context ctx) {
    Operator operator = auth.operator(ctx);
    Agent agent = agents.get(operator, agentId(ctx));
    Page<Command> page =
        commands.list(
            operator,
            new CommandQuery(null, null, null, null, null).withAgent(agent.id()),
            QueryParams.page(ctx));
    List<Map<String, Object>> items = new ArrayList<>();
    page.items().forEach(command -> items.add(commandViews.view(command)));
    ctx.json(Map.of("commands", items, "next_cursor", page.nextCursor().orElse("")));
  }

  static Map<String, Object> view(Agent agent) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", agent.id().value());
    view.put("tenant_id", agent.tenantId().value());
    view.put("hostname", agent.hostname());
    view.put("os", agent.os());
    view.put("arch", agent.arch());
    view.put("version", agent.version());
    view.put("labels", agent.labels());
    view.put("capabilities", agent.capabilities());
    view.put(
        "status", agent.decommissionedAt() != null ? DECOMMISSIONED : agent.status().wireName());
    view.put("last_heartbeat_at", agent.lastHeartbeatAt());
    view.put("enrolled_at", agent.enrolledAt());
    if (agent.previousKeyExpiresAt() != null) {
      view.put("previous_key_expires_at", agent.previousKeyExpiresAt());
    }
    if (agent.revokedAt() != null) {
      view.put("revoked_at", agent.revokedAt());
    }
    if (agent.decommissionedAt() != null) {
      view.put("decommissioned_at", agent.decommissionedAt());
    }
    view.put(
        "counters",
        Map.of(
            "commands_completed", agent.commandsCompleted(),
            "commands_failed", agent.commandsFailed()));
    return view;
  }

  private static AgentId agentId(Context ctx) {
    return AgentId.of(ctx.pathParam("id"));
  }
}
