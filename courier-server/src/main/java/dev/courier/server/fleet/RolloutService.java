package dev.courier.server.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.Priority;
import dev.courier.protocol.envelope.CanonicalJson;
import dev.courier.server.agent.AgentRepository;
import dev.courier.server.agent.AgentStatus;
import dev.courier.server.agent.AgentTarget;
import dev.courier.server.auth.Operator;
import dev.courier.server.command.Command;
import dev.courier.server.command.CommandRepository;
import dev.courier.server.command.CommandService;
import dev.courier.server.command.CommandType;
import dev.courier.server.command.CommandTypeCatalog;
import dev.courier.server.common.Ids;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.common.Transactions;
import dev.courier.server.error.ConflictException;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.error.NotFoundException;
import dev.courier.server.events.Event;
import dev.courier.server.events.EventOutbox;
import dev.courier.server.tenant.TenantConfinement;
import dev.courier.server.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What operators (and schedules) do with rollouts: create one over a selector, read its progress,
 * list, cancel. Dispatching is the {@link RolloutDispatcher}'s.
 */
public final class RolloutService {

  static final Duration MAX_TIMEOUT = Duration.ofDays(1);
  private static final int CANCEL_BATCH = 500;

  private final Transactions transactions;
  private final TenantConfinement confinement;
  private final RolloutRepository rollouts;
  private final AgentRepository agents;
  private final CommandRepository commands;
  private final CommandService commandService;
  private final EventOutbox events;
  private final CommandTypeCatalog types;
  private final RolloutDispatcher dispatcher;
  private final Clock clock;

  public RolloutService(
      Transactions transactions,
      TenantConfinement confinement,
      RolloutRepository rollouts,
      AgentRepository agents,
      CommandRepository commands,
      CommandService commandService,
      EventOutbox events,
      CommandTypeCatalog types,
      RolloutDispatcher dispatcher,
      Clock clock) {
    this.transactions = transactions;
    this.confinement = confinement;
    this.rollouts = rollouts;
    this.agents = agents;
    this.commands = commands;
    this.commandService = commandService;
    this.events = events;
    this.types = types;
    this.dispatcher = dispatcher;
    this.clock = clock;
  }

  /**
   * Creates the rollout, its targets and its first wave of children in one transaction.
   *
   * @param tenantId the tenant to act in: must be the operator's own, or any for a system admin
   *     (who must name one)
   * @throws InvalidInputException for a bad type, params, limit, or a selector matching nothing
   * @throws ForbiddenException when the selector names another tenant's agent
   */
  public Rollout create(Operator operator, TenantId tenantId, NewRollout request) {
    TenantId tenant = tenantOf(operator, tenantId);
    List<AgentTarget> selected = targetsOf(tenant, request.selector());
    if (selected.isEmpty()) {
      throw new InvalidInputException(
          "the selector matches no agent that can take commands", "selector");
    }
    return start(plan(tenant, null, request, operator.userId().value(), selected), selected);
  }

  /**
   * A schedule's rollout at its due time, inside the scheduler's transaction. A selector that
   * matches nothing still leaves a (completed, empty) rollout, so the run shows in the history.
   */
  Rollout createForSchedule(
      TenantId tenant, String scheduleId, NewRollout request, String createdBy) {
    List<AgentTarget> selected = targetsOf(tenant, request.selector());
    return start(plan(tenant, scheduleId, request, createdBy, selected), selected);
  }

  public Rollout get(Operator operator, String id) {
    return find(operator, id).orElseThrow(() -> new NotFoundException("no rollout " + id, "id"));
  }

  public Page<Rollout> list(Operator operator, RolloutQuery query, PageRequest page) {
    return rollouts.list(operator.tenantScope().map(query::withTenant).orElse(query), page);
  }

  /**
   * Stops dispatch and cancels every unfinished child (pending ones at once, running ones by
   * telling their agents). Cancelling a finished rollout is a conflict.
   */
  public Rollout cancel(Operator operator, String id) {
    Rollout rollout = get(operator, id);
    Instant now = clock.instant();
    boolean stopped =
        transactions.inTransaction(
            () -> {
              Rollout locked = rollouts.lock(rollout.id()).orElseThrow();
              if (locked.status().isFinal()) {
                return false;
              }
              dispatcher.stop(
                  locked, RolloutStatus.CANCELLED, "cancelled by user:" + operator.username(), now);
              return true;
            });
    if (!stopped && rollout.status() != RolloutStatus.CANCELLED) {
      throw new ConflictException(
          "rollout " + id + " is already " + get(operator, id).status().wireName(), "status");
    }
    cancelChildren(operator, rollout.id());
    return get(operator, id);
  }

  /** Every target the selector picks, in enrollment order, with their presence. */
  public List<AgentTarget> preview(Operator operator, TenantId tenantId, TargetSelector selector) {
    return targetsOf(tenantOf(operator, tenantId), selector);
  }

  private void cancelChildren(Operator operator, String rolloutId) {
    List<Command> open;
    do {
      open = commands.unfinishedInRollout(rolloutId, CANCEL_BATCH);
      for (Command child : open) {
        try {
          commandService.cancel(operator, child.id());
        } catch (ConflictException finishedMeanwhile) {
          // The child reached a final state between the read and the cancel: nothing to stop.
        }
      }
      // Each child leaves the unfinished set (cancelled, cancelling or finished), so this ends.
    } while (open.size() == CANCEL_BATCH);
  }

  private Rollout start(Rollout rollout, List<AgentTarget> selected) {
    List<RolloutTarget> targets = new ArrayList<>(selected.size());
    for (int i = 0; i < selected.size(); i++) {
      targets.add(new RolloutTarget(i, selected.get(i).id()));
    }
    Instant now = rollout.createdAt();
    transactions.inTransaction(
        () -> {
          rollouts.insert(rollout);
          events.append(
              Event.of(
                  rollout.tenantId(),
                  "rollout.created",
                  rollout.id(),
                  "{\"rollout_id\":\"" + rollout.id() + "\",\"targets\":" + targets.size() + "}",
                  now));
          dispatcher.start(rollout, targets, now);
        });
    return rollouts.find(rollout.id()).orElseThrow();
  }

  private Rollout plan(
      TenantId tenant,
      String scheduleId,
      NewRollout request,
      String createdBy,
      List<AgentTarget> selected) {
    CommandType type = types.require(request.type(), "type");
    ObjectNode params = request.params() == null ? CanonicalJson.emptyObject() : request.params();
    types.validateParams(type, params);
    int targets = selected.size();
    int offline = (int) selected.stream().filter(t -> t.status() != AgentStatus.ONLINE).count();
    RolloutLimit concurrency =
        request.maxConcurrency() == null
            ? RolloutLimit.count(Math.max(1, targets))
            : request.maxConcurrency();
    RolloutLimit errors =
        request.maxErrors() == null ? RolloutLimit.count(targets) : request.maxErrors();
    int canary = request.canary() == null ? 0 : request.canary();
    if (canary < 0 || (canary > targets && targets > 0)) {
      throw new InvalidInputException(
          "canary must be between 0 and the number of targets (" + targets + ")", "canary");
    }
    Duration timeout = request.timeout() == null ? type.defaultTimeout() : request.timeout();
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new InvalidInputException(
          "timeout_seconds must be between 1 and " + MAX_TIMEOUT.toSeconds(), "timeout_seconds");
    }
    Instant now = clock.instant();
    return new Rollout(
        Ids.newId(),
        tenant,
        scheduleId,
        request.selector(),
        type.name(),
        params.toString(),
        request.priority() == null ? Priority.NORMAL : request.priority(),
        timeout,
        Math.max(1, concurrency.resolve(targets, true)),
        concurrency.text(),
        errors.resolve(targets, false),
        errors.text(),
        canary,
        canary > 0 ? RolloutStatus.CANARY : RolloutStatus.RUNNING,
        RolloutCounts.selected(targets, offline),
        null,
        createdBy,
        now,
        null,
        now);
  }

  private List<AgentTarget> targetsOf(TenantId tenant, TargetSelector selector) {
    List<AgentTarget> candidates = agents.targets(tenant);
    if (!(selector instanceof TargetSelector.AgentIds named)) {
      return candidates.stream().filter(t -> selector.matchesLabels(t.labels())).toList();
    }
    Map<AgentId, AgentTarget> byId = new LinkedHashMap<>();
    candidates.forEach(t -> byId.put(t.id(), t));
    List<AgentTarget> picked = new ArrayList<>(named.ids().size());
    for (AgentId id : named.ids()) {
      AgentTarget target = byId.get(id);
      if (target == null) {
        refuseUnknown(tenant, id);
      }
      picked.add(target);
    }
    return picked;
  }

  private void refuseUnknown(TenantId tenant, AgentId id) {
    Optional<TenantId> owner =
        confinement.acrossTenants(() -> agents.find(id).map(agent -> agent.tenantId()));
    if (owner.isPresent() && !owner.get().equals(tenant)) {
      // Seed 000: targeting another tenant's asset is forbidden, not merely unknown.
      throw new ForbiddenException(
          "agent " + id.value() + " belongs to another tenant", "selector.agent_ids");
    }
    throw new InvalidInputException(
        "no agent " + id.value() + " that can take commands (unknown, revoked or decommissioned)",
        "selector.agent_ids");
  }

  private static TenantId tenantOf(Operator operator, TenantId requested) {
    Optional<TenantId> scope = operator.tenantScope();
    if (scope.isEmpty()) {
      if (requested == null) {
        throw new InvalidInputException(
            "a system admin must name the tenant the rollout runs in", "tenant_id");
      }
      return requested;
    }
    if (requested != null && !requested.equals(scope.get())) {
      throw new ForbiddenException("you may only act in your own tenant", "tenant_id");
    }
    return scope.get();
  }

  private Optional<Rollout> find(Operator operator, String id) {
    return operator
        .tenantScope()
        .map(tenant -> rollouts.find(tenant, id))
        .orElseGet(() -> rollouts.find(id));
  }
}
