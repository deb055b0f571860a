package dev.courier.server.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.envelope.CanonicalJson;
import dev.courier.server.auth.Operator;
import dev.courier.server.common.GroupCommit;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.common.Transactions;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.NotFoundException;
import dev.courier.server.error.UnauthorizedException;
import dev.courier.server.events.Event;
import dev.courier.server.events.EventOutbox;
import dev.courier.server.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Agents as the server sees them: who a key belongs to, presence (online while heartbeats arrive,
 * offline after three missed intervals), and the operators' read access.
 */
public final class AgentService {

  /** An agent missing this many heartbeat intervals in a row is offline. */
  static final int MISSED_HEARTBEATS = 3;

  /**
   * How long a WebSocket heartbeat's write may wait for others to share its commit. An idle fleet's
   * heartbeats arrive one at a time (333 a second from 10,000 agents), and alone each paid a
   * commit. Nothing waits on that answer: the socket reads the agent's next frame meanwhile. A
   * request that waits for its presence write (an HTTP heartbeat or poll) is not made to wait
   * longer: with requests one after another, each would wait the whole patience.
   */
  static final Duration HEARTBEAT_PATIENCE = Duration.ofMillis(100);

  private final Transactions transactions;
  private final AgentRepository agents;
  private final EventOutbox events;
  private final Duration heartbeatInterval;
  private final Clock clock;
  private final GroupCommit writes;

  public AgentService(
      Transactions transactions,
      AgentRepository agents,
      EventOutbox events,
      Duration heartbeatInterval,
      Clock clock) {
    this(transactions, agents, events, heartbeatInterval, clock, null);
  }

  /**
   * @param writes the group commit heartbeats go through (many agents' heartbeats in one
   *     transaction, each answered after it committed), or null to commit each alone
   */
  public AgentService(
      Transactions transactions,
      AgentRepository agents,
      EventOutbox events,
      Duration heartbeatInterval,
      Clock clock,
      GroupCommit writes) {
    this.transactions = transactions;
    this.agents = agents;
    this.events = events;
    this.heartbeatInterval = heartbeatInterval;
    this.clock = clock;
    this.writes = writes;
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /**
   * The agent holding {@code key}. When the agent also names itself, the name must match the key.
   *
   * @throws UnauthorizedException for unknown, revoked or mismatched credentials
   */
  public Agent authenticate(String key, String claimedAgentId) {
    if (key == null || key.isBlank()) {
      throw new UnauthorizedException(
          "an agent key is required (Authorization: Bearer <agent key>)");
    }
    Agent agent =
        agents
            .findByKeyHash(Secrets.hash(key.trim()), clock.instant())
            .filter(found -> found.revokedAt() == null && found.decommissionedAt() == null)
            .orElseThrow(() -> new UnauthorizedException("the agent key is unknown or revoked"));
    if (claimedAgentId != null
        && !claimedAgentId.isBlank()
        && !claimedAgentId.trim().equals(agent.id().value())) {
      throw new UnauthorizedException("the agent id does not match the agent key");
    }
    return agent;
  }

  /**
   * Any authenticated request proves the agent alive (a seed 004 agent only polls). Presence is
   * written at most every third of a heartbeat interval, so a fast poller costs no extra writes.
   */
  public void seen(Agent agent) {
    Instant fresh = clock.instant().minus(heartbeatInterval.dividedBy(3));
    if (agent.status() == AgentStatus.ONLINE
        && agent.lastHeartbeatAt() != null
        && agent.lastHeartbeatAt().isAfter(fresh)) {
      return;
    }
    heartbeat(agent, null, null);
  }

  /**
   * Records a sign of life, returning once it committed; the first after silence emits {@code
   * agent.online}.
   */
  public void heartbeat(Agent agent, String version, List<String> capabilities) {
    GroupCommit.callOrRun(writes, agent.id(), heartbeatWrite(agent, version, capabilities));
  }

  /**
   * {@link #heartbeat} queued behind the agent's earlier writes without waiting: the future
   * completes once it committed. A connection reads the agent's next frame meanwhile, so a report
   * sent just after a heartbeat is not held up by the heartbeat's patience.
   */
  public CompletableFuture<Void> heartbeatLater(
      Agent agent, String version, List<String> capabilities) {
    return GroupCommit.submitOrRun(
        writes, agent.id(), HEARTBEAT_PATIENCE, heartbeatWrite(agent, version, capabilities));
  }

  private Supplier<Void> heartbeatWrite(Agent agent, String version, List<String> capabilities) {
    Instant now = clock.instant();
    return () ->
        GroupCommit.atomically(
            transactions,
            () -> {
              if (agents.recordHeartbeat(new Heartbeat(agent.id(), now, version, capabilities))) {
                events.append(presenceEvent(agent, "agent.online", now));
              }
              return null;
            });
  }

  /** Marks agents offline after {@link #MISSED_HEARTBEATS} silent intervals; returns how many. */
  public int markSilentAgentsOffline() {
    Instant now = clock.instant();
    return transactions.inTransaction(
        () -> {
          List<AgentId> offline =
              agents.markOfflineSince(
                  now.minus(heartbeatInterval.multipliedBy(MISSED_HEARTBEATS)), now);
          for (AgentId id : offline) {
            agents
                .find(id)
                .ifPresent(agent -> events.append(presenceEvent(agent, "agent.offline", now)));
          }
          return offline.size();
        });
  }

  public Agent get(Operator operator, AgentId id) {
    return find(operator, id)
        .orElseThrow(() -> new NotFoundException("no agent " + id.value(), "id"));
  }

  public Optional<Agent> find(Operator operator, AgentId id) {
    return operator
        .tenantScope()
        .map(tenant -> agents.find(tenant, id))
        .orElseGet(() -> agents.find(id));
  }

  /**
   * Replaces the agent's labels (checked by {@link Labels}); the agent's own labels from its
   * enrollment are overwritten too, since the operator's word is the later one.
   */
  public Agent replaceLabels(Operator operator, AgentId id, Map<String, String> labels) {
    Map<String, String> checked = Labels.check(labels, "labels");
    Agent agent = get(operator, id);
    Instant now = clock.instant();
    transactions.inTransaction(
        () -> {
          agents.updateLabels(agent.tenantId(), agent.id(), checked, now);
          ObjectNode payload = CanonicalJson.emptyObject();
          payload.put("agent_id", agent.id().value());
          ObjectNode labelsNode = payload.putObject("labels");
          new TreeMap<>(checked).forEach(labelsNode::put);
          events.append(
              Event.of(
                  agent.tenantId(),
                  "agent.labels_changed",
                  agent.id().value(),
                  payload.toString(),
                  now));
        });
    return get(operator, id);
  }

  /** How many agents the operator's tenant has (a system admin: every tenant, or the one named). */
  public AgentCounts count(Operator operator, TenantId requested) {
    TenantId scope = operator.tenantScope().orElse(null);
    if (scope != null && requested != null && !scope.equals(requested)) {
      throw new ForbiddenException("you can only count your own tenant's agents", "tenant_id");
    }
    return agents.count(scope != null ? scope : requested);
  }

  public Page<Agent> list(Operator operator, AgentQuery query, PageRequest page) {
    AgentQuery scoped = operator.tenantScope().map(query::withTenant).orElse(query);
    return agents.list(scoped, page);
  }

  private static Event presenceEvent(Agent agent, String type, Instant at) {
    ObjectNode payload = CanonicalJson.emptyObject();
    payload.put("agent_id", agent.id().value());
    payload.put("hostname", agent.hostname());
    return Event.of(agent.tenantId(), type, agent.id().value(), payload.toString(), at);
  }
}
