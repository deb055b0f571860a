package dev.courier.server.tunnel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.protocol.AgentId;
import dev.courier.server.agent.AgentRepository;
import dev.courier.server.audit.AuditTrail;
import dev.courier.server.auth.Operator;
import dev.courier.server.cluster.ClusterBus;
import dev.courier.server.common.Transactions;
import dev.courier.server.error.ConflictException;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.error.NotFoundException;
import dev.courier.server.error.RateLimitedException;
import dev.courier.server.tenant.TenantConfinement;
import dev.courier.server.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Tunnel sessions (seeds 001/002, issue 9): an operator opens a session with an agent that offers
 * the terminal, runs command lines in it or attaches an interactive terminal stream, and closes it;
 * the agent's {@code tunnel_ready}, {@code tunnel_data} and {@code tunnel_error} frames come back
 * here. Every command line and its output go into the session's transcript (bounded), every command
 * line and every close that no request made also into the hash-chained audit trail.
 *
 * <p>The rules: one open session per operator and agent (the database's unique index), at most
 * {@link TunnelSettings#maxSessionsPerUser()} per operator, only the owner may use or close a
 * session, a tenant's policy may allow or deny command lines, command lines are rate limited per
 * operator, and a session ends on idle timeout, at its maximum length, when the agent or the
 * operator's stream disconnects, or when its node is gone.
 *
 * <p>This class is the package's face for the HTTP routes, the WebSockets and the server's wiring;
 * the work is done by its parts: {@link SessionOpener} and {@link SessionCloser} (the session
 * rules), {@link TunnelCommands} and {@link CommandAdmission} (command lines), {@link
 * TerminalStreams} (operator streams to the agent's terminal), {@link AgentFrames} (what agents
 * say), {@link TunnelNotices} (relaying that across nodes) and {@link TunnelSweep} (the closes
 * nobody asked for).
 */
public final class TunnelService {

  /** The capability an agent reports when its terminal is enabled. */
  public static final String CAPABILITY = "tunnel";

  private final TunnelSettings settings;
  private final String nodeId;
  private final SessionAccess access;
  private final TunnelPolicies policies;
  private final SessionOpener opener;
  private final SessionCloser closer;
  private final TunnelCommands commands;
  private final TerminalStreams terminal;
  private final AgentFrames agentFrames;
  private final TunnelNotices notices;
  private final TunnelSweep sweep;

  public TunnelService(
      Transactions transactions,
      TenantConfinement confinement,
      TunnelRepository sessions,
      AgentRepository agents,
      TunnelLink link,
      AuditTrail audit,
      TunnelSettings settings,
      String nodeId,
      Clock clock) {
    this.settings = settings;
    this.nodeId = nodeId;
    this.access = new SessionAccess(sessions);
    this.policies = new TunnelPolicies(sessions, clock);
    SessionRecords records = new SessionRecords(sessions, settings, clock);
    SessionWaiters waiters = new SessionWaiters();
    OperatorStreams streams = new OperatorStreams(clock);
    AgentTerminals terminals = new AgentTerminals(sessions, link, streams);
    this.notices = new TunnelNotices(nodeId, new LocalNotices(waiters, streams, terminals));
    this.closer =
        new SessionCloser(
            transactions, sessions, access, link, audit, records, streams, notices, clock);
    this.opener =
        new SessionOpener(
            transactions,
            confinement,
            sessions,
            agents,
            link,
            settings,
            nodeId,
            clock,
            records,
            waiters,
            closer);
    CommandAdmission admission =
        new CommandAdmission(transactions, sessions, audit, records, policies, settings, clock);
    this.commands =
        new TunnelCommands(access, sessions, link, settings, admission, records, waiters);
    this.terminal =
        new TerminalStreams(access, policies, admission, records, streams, terminals, clock);
    this.agentFrames = new AgentFrames(sessions, link, records, notices, closer, clock);
    this.sweep = new TunnelSweep(sessions, link, closer, streams, notices, settings, nodeId, clock);
  }

  public TunnelSettings settings() {
    return settings;
  }

  public String nodeId() {
    return nodeId;
  }

  // ---------------------------------------------------------------- operator side

  /**
   * Opens a session with the agent and waits (up to {@link TunnelSettings#openWait()}) for its
   * {@code tunnel_ready}.
   *
   * @return the session, {@code ready}, or still {@code active} if the agent has not answered yet
   * @throws InvalidInputException agent_id missing or not a UUID
   * @throws NotFoundException no such agent
   * @throws ForbiddenException another tenant's agent
   * @throws ConflictException already open with this agent, the user's cap reached, the agent
   *     offline, without the {@code tunnel} capability, or refusing the session
   */
  public TunnelSession open(Operator operator, String agentIdText) {
    return opener.open(operator, agentIdText);
  }

  /**
   * Closes the operator's own session at their request.
   *
   * @throws ConflictException if it is already closed
   */
  public TunnelSession close(Operator operator, String sessionId) {
    return closer.closeAtRequest(operator, sessionId);
  }

  /** The operator's sessions: open ones, or also recently closed ones. */
  public List<TunnelSession> mine(Operator operator, boolean openOnly, int limit) {
    return access.mine(operator, openOnly, limit);
  }

  /** Every session of the operator's tenant (all tenants for a system admin), for auditors. */
  public List<TunnelSession> all(Operator operator, boolean openOnly, int limit) {
    return access.all(operator, openOnly, limit);
  }

  /**
   * The session if the operator may see it: for its owner, or with {@code auditor} rights for
   * anyone of its tenant.
   */
  public TunnelSession visible(Operator operator, String sessionId) {
    return access.visible(operator, sessionId);
  }

  /** A session's transcript, in order, for auditors. */
  public List<TranscriptEntry> transcript(
      Operator operator, String sessionId, long afterSeq, int limit) {
    return access.transcript(operator, sessionId, afterSeq, limit);
  }

  /**
   * The session if it is the operator's own: 404 if unknown (or another tenant's), 403 if another
   * operator's.
   *
   * @param open also require it to be open (409 otherwise)
   */
  public TunnelSession owned(Operator operator, String sessionId, boolean open) {
    return access.owned(operator, sessionId, open);
  }

  /** The tenant's command-line policy (empty when none was set). */
  public TunnelPolicy policy(TenantId tenant) {
    return policies.of(tenant);
  }

  public void setPolicy(TenantId tenant, TunnelPolicy policy, Operator operator) {
    policies.save(tenant, policy, operator);
  }

  /** What {@link #command} got back. */
  public record CommandOutcome(
      TunnelSession session,
      String command,
      String stdout,
      String stderr,
      Integer exitCode,
      boolean truncated,
      long durationMillis,
      boolean timedOut) {}

  /**
   * Runs one command line in the operator's session (seed 001's phase-2 {@code terminal} message)
   * and waits for its output.
   *
   * @throws InvalidInputException a blank or too long command
   * @throws ForbiddenException the tenant's policy refuses it
   * @throws RateLimitedException too many command lines from this operator
   * @throws ConflictException the session is not open, or the agent failed to run it
   */
  public CommandOutcome command(
      Operator operator, String sessionId, String command, String source, String requestId) {
    return commands.run(operator, sessionId, command, source, requestId);
  }

  // ---------------------------------------------------------------- terminal stream

  /** One operator stream attached to a session. */
  public static final class Stream {
    private final Operator operator;
    private final String sessionId;
    private final TunnelListener listener;
    private final String source;
    private final TerminalInput input = new TerminalInput();
    private final StringBuilder held = new StringBuilder();
    private final TunnelPolicies policies;
    private final Clock clock;
    private TunnelPolicy policy;
    private Instant policyReadAt;

    Stream(
        Operator operator,
        String sessionId,
        TunnelListener listener,
        String source,
        TunnelPolicies policies,
        Clock clock) {
      this.operator = operator;
      this.sessionId = sessionId;
      this.listener = listener;
      this.source = source;
      this.policies = policies;
      this.clock = clock;
    }

    public String sessionId() {
      return sessionId;
    }

    Operator operator() {
      return operator;
    }

    TunnelListener listener() {
      return listener;
    }

    String source() {
      return source;
    }

    /** Splits what the operator types into lines. */
    TerminalInput input() {
      return input;
    }

    /** A line-buffered terminal's line so far, held until it is complete and allowed. */
    StringBuilder held() {
      return held;
    }

    TunnelPolicy policy(TenantId tenant) {
      Instant now = clock.instant();
      if (policy == null || policyReadAt.plusSeconds(10).isBefore(now)) {
        policy = policies.of(tenant);
        policyReadAt = now;
      }
      return policy;
    }
  }

  /**
   * Attaches an operator's stream to their open session and starts the terminal on the agent (or
   * re-attaches to the one running).
   */
  public Stream attach(
      Operator operator,
      String sessionId,
      TunnelListener listener,
      int cols,
      int rows,
      String source) {
    return terminal.attach(operator, sessionId, listener, cols, rows, source);
  }

  /**
   * The operator's stream went away. When it was the session's last, the sweep closes the session
   * once {@link OperatorStreams#REATTACH_GRACE} has passed without the operator attaching again.
   */
  public void detach(Stream stream) {
    terminal.detach(stream);
  }

  /** A window size change from the operator. */
  public void resize(Stream stream, int cols, int rows) {
    terminal.resize(stream, cols, rows);
  }

  /**
   * Keystrokes from the operator. Without a policy they go to the agent as typed, except each line
   * end, which waits for the rate limit (a refused line is cleared with Ctrl-U). With a policy the
   * terminal is line-buffered: a line goes to the agent only once it is complete and allowed.
   */
  public void input(Stream stream, String data) {
    terminal.input(stream, data);
  }

  // ---------------------------------------------------------------- agent side

  /** The agent answered {@code tunnel_ready}. */
  public void agentReady(AgentId agent, String sessionId) {
    agentFrames.ready(agent, sessionId);
  }

  /** The agent sent {@code tunnel_data} on one of a session's channels. */
  public void agentData(AgentId agent, String channel, JsonNode data) {
    agentFrames.data(agent, channel, data);
  }

  /** The agent sent {@code tunnel_error} for a session or one of its channels. */
  public void agentError(AgentId agent, String channel, String error) {
    agentFrames.error(agent, channel, error);
  }

  /** The agent's socket on this node closed: every session it carried ends. */
  public void agentDisconnected(AgentId agent) {
    agentFrames.disconnected(agent);
  }

  // ---------------------------------------------------------------- across nodes, sweeping

  /**
   * With several nodes (PostgreSQL), what an agent connected here says reaches the node where its
   * session's operator waits or watches, and the other way round: every notice is applied here and
   * published for the others, which apply it if they hold a waiter or a stream of the session.
   */
  public void joinCluster(ClusterBus clusterBus) {
    notices.joinCluster(clusterBus);
  }

  /**
   * At start-up, after {@link #joinCluster} if the server has a cluster: sessions that were open
   * when a server stopped without closing them. A node without a cluster is the only one, so all of
   * them; in a cluster those of this node and those no node has vouched for lately.
   *
   * @return how many were closed
   */
  public int closeLeftovers() {
    return sweep.closeLeftovers();
  }

  /**
   * The periodic sweep: idle sessions, sessions past their maximum length, this node's sessions
   * whose agent is not connected any more, and sessions of nodes that stopped vouching.
   *
   * @return how many were closed
   */
  public int sweep() {
    return sweep.sweep();
  }

  /** Closes this node's open sessions (shutdown). */
  public void closeAll(String reason) {
    sweep.closeAll(reason);
  }
}
