package dev.courier.server.tunnel;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.server.agent.Agent;
import dev.courier.server.agent.AgentRepository;
import dev.courier.server.auth.Operator;
import dev.courier.server.common.DuplicateKeyException;
import dev.courier.server.common.Ids;
import dev.courier.server.common.Transactions;
import dev.courier.server.error.ConflictException;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.NotFoundException;
import dev.courier.server.tenant.TenantConfinement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens sessions: whether the operator may have one with the agent (tenant, agent state, one per
 * operator and agent, the per-user cap, the capability, a live connection), then the row, the
 * {@code tunnel_open} and the wait for the agent's answer.
 */
final class SessionOpener {

  private final Transactions transactions;
  private final TenantConfinement confinement;
  private final TunnelRepository sessions;
  private final AgentRepository agents;
  private final TunnelLink link;
  private final TunnelSettings settings;
  private final String nodeId;
  private final Clock clock;
  private final SessionRecords records;
  private final SessionWaiters waiters;
  private final SessionCloser closer;

  SessionOpener(
      Transactions transactions,
      TenantConfinement confinement,
      TunnelRepository sessions,
      AgentRepository agents,
      TunnelLink link,
      TunnelSettings settings,
      String nodeId,
      Clock clock,
      SessionRecords records,
      SessionWaiters waiters,
      SessionCloser closer) {
    this.transactions = transactions;
    this.confinement = confinement;
    this.sessions = sessions;
    this.agents = agents;
    this.link = link;
    this.settings = settings;
    this.nodeId = nodeId;
    this.clock = clock;
    this.records = records;
    this.waiters = waiters;
    this.closer = closer;
  }

  TunnelSession open(Operator operator, String agentIdText) {
    AgentId agentId = AgentId.of(SessionAccess.uuid(agentIdText, "agent_id"));
    Agent agent =
        confinement
            .acrossTenants(() -> agents.find(agentId))
            .orElseThrow(() -> new NotFoundException("no agent " + agentIdText, "agent_id"));
    if (operator.tenantScope().isPresent()
        && !operator.tenantScope().get().equals(agent.tenantId())) {
      throw new ForbiddenException("the agent belongs to another tenant", "agent_id");
    }
    if (agent.decommissionedAt() != null || agent.revokedAt() != null) {
      throw new ConflictException(
          "agent " + agentIdText + " is decommissioned or revoked", "agent_id");
    }
    Optional<TunnelSession> existing = sessions.findOpen(operator.userId(), agentId);
    if (existing.isPresent()) {
      throw duplicate(existing.get());
    }
    if (!agent.capabilities().contains(TunnelService.CAPABILITY)) {
      throw new ConflictException(
          "agent "
              + agentIdText
              + " does not offer the terminal (its capabilities lack 'tunnel'): enable it in the"
              + " agent's configuration (terminal.enabled: true, or --enable-terminal)",
          "agent_id");
    }
    if (!link.isConnected(agentId)) {
      throw new ConflictException(
          "agent "
              + agentIdText
              + " is not connected by WebSocket to this server; a tunnel needs a live connection",
          "agent_id");
    }
    if (sessions.countOpen(operator.userId()) >= settings.maxSessionsPerUser()) {
      throw new ConflictException(
          "you already hold "
              + settings.maxSessionsPerUser()
              + " open tunnel sessions, the most one user may; close one first",
          "sessions");
    }
    Instant now = clock.instant();
    TunnelSession session =
        TunnelSession.opened(
            Ids.newId(clock),
            agent.tenantId(),
            operator.userId(),
            agentId,
            now,
            now.plus(settings.maxDuration()),
            nodeId);
    try {
      transactions.inTransaction(
          () -> {
            sessions.insert(session);
            records.record(
                session, "session", "open", "opened by user:" + operator.username(), true);
          });
    } catch (DuplicateKeyException e) {
      throw sessions
          .findOpen(operator.userId(), agentId)
          .map(SessionOpener::duplicate)
          .orElseThrow(() -> e);
    }
    CompletableFuture<String> ready = waiters.awaitReady(session.id());
    try {
      if (!link.send(agentId, new ServerFrame.TunnelOpen(session.id()))) {
        closer.close(session, TunnelStatus.ERROR, "agent_unreachable", "system", false);
        throw new ConflictException(
            "agent " + agentIdText + " could not be reached; try again", "agent_id");
      }
      String refusal = await(ready, settings.openWait());
      if (refusal != null) {
        throw new ConflictException("the agent refused the session: " + refusal, "agent_id");
      }
    } finally {
      waiters.stopAwaitingReady(session.id(), ready);
    }
    return sessions.find(session.id()).orElse(session);
  }

  private static ConflictException duplicate(TunnelSession open) {
    return new ConflictException(
        "you already have an open tunnel session with this agent: " + open.id(), "agent_id");
  }

  /** Waits for the agent's answer: null once ready (or still waiting), else its refusal. */
  private static String await(CompletableFuture<String> ready, Duration wait) {
    try {
      return ready.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      return e.getCause().getMessage();
    }
  }
}
