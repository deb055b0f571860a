package dev.courier.server.tunnel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.protocol.frame.TunnelData;
import dev.courier.server.agent.Agent;
import dev.courier.server.agent.AgentRepository;
import dev.courier.server.audit.AuditEntry;
import dev.courier.server.audit.AuditOutcome;
import dev.courier.server.audit.AuditTrail;
import dev.courier.server.auth.Operator;
import dev.courier.server.cluster.ClusterBus;
import dev.courier.server.common.DuplicateKeyException;
import dev.courier.server.common.Ids;
import dev.courier.server.common.Transactions;
import dev.courier.server.error.ConflictException;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.error.NotFoundException;
import dev.courier.server.error.RateLimitedException;
import dev.courier.server.ratelimit.Decision;
import dev.courier.server.ratelimit.KeyedRateLimiter;
import dev.courier.server.ratelimit.RateLimit;
import dev.courier.server.tenant.TenantConfinement;
import dev.courier.server.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class TunnelService {

  private static final Logger log = LoggerFactory.getLogger(TunnelService.class);

  /** The capability an agent reports when its terminal is enabled. */
  public static final String CAPABILITY = "tunnel";

  static final int MAX_COMMAND_LENGTH = 8 * 1024;
  static final int MAX_DETAIL = 64 * 1024;
  static final int AUDIT_COMMAND_CHARS = 1000;
  private static final int SWEEP_BATCH = 200;
  private static final Duration TOUCH_EVERY = Duration.ofSeconds(5);

  /**
   * How long a session whose last operator stream dropped stays open for the operator to come back:
   * a browser reload or a network blip must not kill the shell.
   */
  static final Duration REATTACH_GRACE = Duration.ofSeconds(30);

  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final Transactions transactions;
  private final TenantConfinement confinement;
  private final TunnelRepository sessions;
  private final AgentRepository agents;
  private final TunnelLink link;
  private final AuditTrail audit;
  private final TunnelSettings settings;
  private final String nodeId;
  private final Clock clock;
  private final KeyedRateLimiter commandRate;

  private final Map<String, CompletableFuture<String>> readyWaiters = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<JsonNode>> commandWaiters = new ConcurrentHashMap<>();
  private final Map<String, Set<Stream>> streams = new ConcurrentHashMap<>();
  private final Map<String, int[]> terminals = new ConcurrentHashMap<>();
  private final Map<String, Instant> touched = new ConcurrentHashMap<>();
  private final Map<String, Instant> streamlessSince = new ConcurrentHashMap<>();
  private final AtomicLong channels = new AtomicLong();
  private final AtomicLong seq = new AtomicLong();

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
    this.transactions = transactions;
    this.confinement = confinement;
    this.sessions = sessions;
    this.agents = agents;
    this.link = link;
    this.audit = audit;
    this.settings = settings;
    this.nodeId = nodeId;
    this.clock = clock;
    this.commandRate =
        new KeyedRateLimiter(
            "tunnel commands",
            new RateLimit(
                settings.commandsPerMinute(),
                Duration.ofMinutes(1),
                Math.max(1, settings.commandBurst())),
            10_000,
            clock);
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
    AgentId agentId = AgentId.of(uuid(agentIdText, "agent_id"));
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
    if (!agent.capabilities().contains(CAPABILITY)) {
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
            record(session, "session", "open", "opened by user:" + operator.username(), true);
          });
    } catch (DuplicateKeyException e) {
      throw sessions
          .findOpen(operator.userId(), agentId)
          .map(TunnelService::duplicate)
          .orElseThrow(() -> e);
    }
    CompletableFuture<String> ready = new CompletableFuture<>();
    readyWaiters.put(session.id(), ready);
    try {
      if (!link.send(agentId, new ServerFrame.TunnelOpen(session.id()))) {
        close(session, TunnelStatus.ERROR, "agent_unreachable", "system", false);
        throw new ConflictException(
            "agent " + agentIdText + " could not be reached; try again", "agent_id");
      }
      String refusal = await(ready, settings.openWait());
      if (refusal != null) {
        throw new ConflictException("the agent refused the session: " + refusal, "agent_id");
      }
    } finally {
      readyWaiters.remove(session.id(), ready);
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

  /**
   * Closes the operator's own session at their request.
   *
   * @throws ConflictException if it is already closed
   */
  public TunnelSession close(Operator operator, String sessionId) {
    TunnelSession session = owned(operator, sessionId, false);
    if (!session.isOpen()
        || !close(session, TunnelStatus.CLOSED, "closed_by_user", actor(operator), true)) {
      TunnelSession now = sessions.find(session.id()).orElse(session);
      throw new ConflictException(
          "tunnel session "
              + sessionId
              + " is already "
              + now.status().wireName()
              + (now.closeReason() == null ? "" : " (" + now.closeReason() + ")"),
          "session_id");
    }
    return sessions.find(session.id()).orElseThrow();
  }

  /** The operator's sessions: open ones, or also recently closed ones. */
  public List<TunnelSession> mine(Operator operator, boolean openOnly, int limit) {
    return sessions.list(null, operator.userId(), openOnly, limit);
  }

  /** Every session of the operator's tenant (all tenants for a system admin), for auditors. */
  public List<TunnelSession> all(Operator operator, boolean openOnly, int limit) {
    return sessions.list(operator.tenantScope().orElse(null), null, openOnly, limit);
  }

  /**
   * The session if the operator may see it: for its owner, or with {@code auditor} rights for
   * anyone of its tenant.
   */
  public TunnelSession visible(Operator operator, String sessionId) {
    String id = uuid(sessionId, "session_id");
    TunnelSession session =
        sessions
            .find(id)
            .filter(s -> operator.tenantScope().map(s.tenantId()::equals).orElse(true))
            .orElseThrow(
                () -> new NotFoundException("no tunnel session " + sessionId, "session_id"));
    return session;
  }

  /** A session's transcript, in order, for auditors. */
  public List<TranscriptEntry> transcript(
      Operator operator, String sessionId, long afterSeq, int limit) {
    TunnelSession session = visible(operator, sessionId);
    return sessions.transcript(session.id(), afterSeq, limit);
  }

  /**
   * The session if it is the operator's own: 404 if unknown (or another tenant's), 403 if another
   * operator's.
   *
   * @param open also require it to be open (409 otherwise)
   */
  public TunnelSession owned(Operator operator, String sessionId, boolean open) {
    TunnelSession session = visible(operator, sessionId);
    if (!session.userId().equals(operator.userId())) {
      throw new ForbiddenException(
          "tunnel session " + sessionId + " belongs to another operator", "session_id");
    }
    if (open && !session.isOpen()) {
      throw new ConflictException(
          "tunnel session "
              + sessionId
              + " is "
              + session.status().wireName()
              + (session.closeReason() == null ? "" : " (" + session.closeReason() + ")"),
          "session_id");
    }
    return session;
  }

  /** The tenant's command-line policy (empty when none was set). */
  public TunnelPolicy policy(TenantId tenant) {
    return sessions.policy(tenant).orElseGet(TunnelPolicy::none);
  }

  public void setPolicy(TenantId tenant, TunnelPolicy policy, Operator operator) {
    sessions.savePolicy(tenant, policy, clock.instant(), actor(operator));
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
    TunnelSession session = owned(operator, sessionId, true);
    if (command == null || command.isBlank()) {
      throw new InvalidInputException("a command line is required", "command");
    }
    if (command.length() > MAX_COMMAND_LENGTH) {
      throw new InvalidInputException(
          "a command line has at most " + MAX_COMMAND_LENGTH + " characters", "command");
    }
    session = awaitReady(session);
    String channel = session.id() + ":cmd-" + channels.incrementAndGet();
    admit(operator, session, channel, command, source, requestId);
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    commandWaiters.put(channel, answer);
    long started = System.nanoTime();
    try {
      ObjectNode data = message("terminal");
      ((ObjectNode) data.get("payload")).put("command", command);
      if (!link.send(session.agentId(), new TunnelData(channel, data))) {
        throw new ConflictException(
            "the agent of tunnel session " + sessionId + " is not reachable", "session_id");
      }
      JsonNode output;
      try {
        output = answer.get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        record(session, channel, "error", "no output within " + settings.commandTimeout(), true);
        return new CommandOutcome(session, command, "", "", null, false, elapsed(started), true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConflictException("interrupted while waiting for the agent", "command");
      } catch (ExecutionException e) {
        throw new ConflictException(e.getCause().getMessage(), "command");
      }
      String stdout = output.path("stdout").asText("");
      String stderr = output.path("stderr").asText("");
      JsonNode exit = output.get("exit_code");
      Integer exitCode = exit == null || !exit.canConvertToInt() ? null : exit.asInt();
      boolean truncated =
          output.path("truncated").asBoolean(false)
              || stdout.contains("[truncated")
              || stderr.contains("[truncated");
      return new CommandOutcome(
          session, command, stdout, stderr, exitCode, truncated, elapsed(started), false);
    } finally {
      commandWaiters.remove(channel, answer);
    }
  }

  private static long elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
  }

  /** A session just opened may not be ready yet: wait for the agent as opening does. */
  private TunnelSession awaitReady(TunnelSession session) {
    if (session.status() == TunnelStatus.READY) {
      return session;
    }
    long deadline = System.nanoTime() + settings.openWait().toNanos();
    while (System.nanoTime() < deadline) {
      TunnelSession now = sessions.find(session.id()).orElse(session);
      if (now.status() == TunnelStatus.READY) {
        return now;
      }
      if (!now.isOpen()) {
        throw new ConflictException(
            "tunnel session " + session.id() + " is " + now.status().wireName(), "session_id");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new ConflictException(
        "the agent has not answered tunnel session " + session.id() + " yet; try again",
        "session_id");
  }

  /**
   * The checks every command line passes, API or typed, and its records: the policy, the rate
   * limit, then the transcript and the audit trail.
   */
  private void admit(
      Operator operator,
      TunnelSession session,
      String channel,
      String line,
      String source,
      String requestId) {
    Optional<String> refusal = policy(session.tenantId()).refusal(line);
    if (refusal.isPresent()) {
      refused(operator, session, channel, line, refusal.get(), source, requestId);
      throw new ForbiddenException(refusal.get(), "command");
    }
    Decision decision = commandRate.tryAcquire(operator.userId().value());
    if (!decision.granted()) {
      String why = "too many command lines; at most " + settings.commandsPerMinute() + " a minute";
      refused(operator, session, channel, line, why, source, requestId);
      throw new RateLimitedException(why, decision.retryAfter());
    }
    Instant now = clock.instant();
    transactions.inTransaction(
        () -> {
          record(session, channel, "command", line, true);
          sessions.touch(session.id(), now, line.length(), 0, 1);
          audit.append(
              commandEntry(
                  operator,
                  session,
                  channel,
                  line,
                  AuditOutcome.SUCCEEDED,
                  null,
                  source,
                  requestId));
        });
    touched.put(session.id(), now);
  }

  private void refused(
      Operator operator,
      TunnelSession session,
      String channel,
      String line,
      String why,
      String source,
      String requestId) {
    transactions.inTransaction(
        () -> {
          record(session, channel, "denied", line + "\n" + why, true);
          audit.append(
              commandEntry(
                  operator, session, channel, line, AuditOutcome.DENIED, why, source, requestId));
        });
  }

  private AuditEntry commandEntry(
      Operator operator,
      TunnelSession session,
      String channel,
      String line,
      AuditOutcome outcome,
      String reason,
      String source,
      String requestId) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("session_id", session.id());
    details.put("agent_id", session.agentId().value());
    details.put("channel", channel);
    details.put(
        "command",
        line.length() <= AUDIT_COMMAND_CHARS ? line : line.substring(0, AUDIT_COMMAND_CHARS) + "…");
    if (reason != null) {
      details.put("reason", reason);
    }
    return new AuditEntry(
        clock.instant(),
        session.tenantId(),
        actor(operator),
        "tunnel.command_line",
        "/api/v1/tunnel/" + session.id(),
        outcome,
        source,
        requestId,
        details);
  }

  // ---------------------------------------------------------------- terminal stream

  /** One operator stream attached to a session. */
  public final class Stream {
    private final Operator operator;
    private final String sessionId;
    private final TunnelListener listener;
    private final String source;
    private final TerminalInput input = new TerminalInput();
    private final StringBuilder held = new StringBuilder();
    private TunnelPolicy policy;
    private Instant policyReadAt;

    private Stream(Operator operator, String sessionId, TunnelListener listener, String source) {
      this.operator = operator;
      this.sessionId = sessionId;
      this.listener = listener;
      this.source = source;
    }

    public String sessionId() {
      return sessionId;
    }

    private TunnelPolicy policy(TenantId tenant) {
      Instant now = clock.instant();
      if (policy == null || policyReadAt.plusSeconds(10).isBefore(now)) {
        policy = TunnelService.this.policy(tenant);
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
    TunnelSession session = owned(operator, sessionId, true);
    Stream stream = new Stream(operator, session.id(), listener, source);
    streamlessSince.remove(session.id());
    streams.computeIfAbsent(session.id(), id -> new CopyOnWriteArraySet<>()).add(stream);
    if (session.status() == TunnelStatus.READY) {
      listener.status("ready", null);
      startTerminal(session, cols, rows);
    } else {
      terminals.putIfAbsent(session.id(), new int[] {cols, rows, 0});
      listener.status("active", "waiting for the agent to answer");
    }
    return stream;
  }

  /**
   * The operator's stream went away. When it was the session's last, the sweep closes the session
   * once {@link #REATTACH_GRACE} has passed without the operator attaching again.
   */
  public void detach(Stream stream) {
    Set<Stream> attached = streams.get(stream.sessionId);
    if (attached == null) {
      return;
    }
    attached.remove(stream);
    if (attached.isEmpty()) {
      streams.remove(stream.sessionId, attached);
      streamlessSince.put(stream.sessionId, clock.instant());
    }
  }

  private int closeAbandoned(Instant now) {
    int closed = 0;
    for (Map.Entry<String, Instant> entry : streamlessSince.entrySet()) {
      String sessionId = entry.getKey();
      if (streams.containsKey(sessionId)
          || entry.getValue().plus(REATTACH_GRACE).isAfter(now)
          || !streamlessSince.remove(sessionId, entry.getValue())) {
        continue;
      }
      Optional<TunnelSession> open = sessions.find(sessionId).filter(TunnelSession::isOpen);
      if (open.isPresent()
          && close(open.get(), TunnelStatus.CLOSED, "operator_disconnected", "system", true)) {
        closed++;
      }
    }
    return closed;
  }

  /** A window size change from the operator. */
  public void resize(Stream stream, int cols, int rows) {
    TunnelSession session = owned(stream.operator, stream.sessionId, true);
    ObjectNode data = message("terminal_resize");
    ((ObjectNode) data.get("payload")).put("cols", cols).put("rows", rows);
    sendTerminal(session, data);
  }

  /**
   * Keystrokes from the operator. Without a policy they go to the agent as typed, except each line
   * end, which waits for the rate limit (a refused line is cleared with Ctrl-U). With a policy the
   * terminal is line-buffered: a line goes to the agent only once it is complete and allowed.
   */
  public void input(Stream stream, String data) {
    TunnelSession session = owned(stream.operator, stream.sessionId, true);
    if (session.status() != TunnelStatus.READY) {
      stream.listener.error("the agent has not answered the session yet");
      return;
    }
    TunnelPolicy policy = stream.policy(session.tenantId());
    boolean buffered = !policy.isEmpty();
    StringBuilder out = new StringBuilder();
    for (TerminalInput.Piece piece : stream.input.feed(data)) {
      if (!piece.endsLine()) {
        if (buffered) {
          stream.held.append(piece.text());
        } else {
          out.append(piece.text());
        }
        continue;
      }
      String text = piece.text();
      int terminatorAt = text.length() - (text.endsWith("\r\n") ? 2 : 1);
      String before = text.substring(0, terminatorAt);
      String terminator = text.substring(terminatorAt);
      String line = piece.line();
      if (!buffered) {
        out.append(before);
      } else {
        stream.held.append(before);
      }
      boolean allowed = true;
      if (!line.isBlank()) {
        try {
          admit(stream.operator, session, session.id() + ":terminal", line, stream.source, null);
        } catch (ForbiddenException | RateLimitedException refused) {
          allowed = false;
          stream.listener.error(refused.getMessage());
        }
      }
      if (buffered) {
        if (allowed) {
          out.append(stream.held).append(terminator);
        }
        stream.held.setLength(0);
      } else {
        out.append(allowed ? terminator : "\u0015");
      }
    }
    if (!out.isEmpty()) {
      ObjectNode message = message("terminal_input");
      ((ObjectNode) message.get("payload")).put("data", out.toString());
      sendTerminal(session, message);
      touch(session.id(), out.length(), 0);
    }
  }

  private void startTerminal(TunnelSession session, int cols, int rows) {
    int[] size = terminals.computeIfAbsent(session.id(), id -> new int[] {cols, rows, 0});
    synchronized (size) {
      if (size[2] == 1) {
        return;
      }
      size[2] = 1;
    }
    ObjectNode data = message("terminal_open");
    ((ObjectNode) data.get("payload")).put("cols", size[0]).put("rows", size[1]);
    sendTerminal(session, data);
  }

  private void sendTerminal(TunnelSession session, ObjectNode data) {
    if (!link.send(session.agentId(), new TunnelData(session.id() + ":terminal", data))) {
      notifyStreams(session.id(), stream -> stream.listener.error("the agent is not reachable"));
    }
  }

  private static ObjectNode message(String type) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("type", type);
    data.putObject("payload");
    return data;
  }

  private void notifyStreams(String sessionId, java.util.function.Consumer<Stream> action) {
    Set<Stream> attached = streams.get(sessionId);
    if (attached == null) {
      return;
    }
    for (Stream stream : attached) {
      try {
        action.accept(stream);
      } catch (RuntimeException e) {
        log.debug("Telling a tunnel stream of session {} failed: {}", sessionId, e.toString());
      }
    }
  }

  // ---------------------------------------------------------------- agent side

  /** The agent answered {@code tunnel_ready}. */
  public void agentReady(AgentId agent, String sessionId) {
    TunnelSession session = agentSession(agent, sessionId);
    if (!session.isOpen()) {
      // Closed while the agent was opening it (a timeout, the operator): the agent forgets it too.
      link.send(agent, new ServerFrame.TunnelClose(session.id(), session.closeReason()));
      return;
    }
    if (sessions.markReady(session.id(), clock.instant())) {
      record(session, "session", "ready", null, true);
      touched.put(session.id(), clock.instant());
    }
    notice("ready", session.id(), null);
  }

  /** The agent sent {@code tunnel_data} on one of a session's channels. */
  public void agentData(AgentId agent, String channel, JsonNode data) {
    TunnelSession session = agentSession(agent, sessionOf(channel));
    String type = data.path("type").asText("");
    JsonNode payload = data.path("payload");
    if (!type.equals("terminal_output")) {
      throw new InvalidInputException(
          "unknown tunnel data type '" + type + "'; agents send terminal_output", "data.type");
    }
    String stdout = payload.path("stdout").asText("");
    String stderr = payload.path("stderr").asText("");
    JsonNode exit = payload.get("exit_code");
    long bytes =
        stdout.getBytes(StandardCharsets.UTF_8).length
            + stderr.getBytes(StandardCharsets.UTF_8).length;
    String recorded =
        stdout
            + (stderr.isEmpty() ? "" : (stdout.isEmpty() ? "" : "\n") + "[stderr] " + stderr)
            + (exit == null || exit.isNull() ? "" : "\n[exit " + exit.asText() + "]");
    record(session, channel, "output", recorded, false);
    touch(session.id(), 0, bytes);
    if (!channel.endsWith(":terminal")) {
      notice("cmd", channel, payload.toString());
      return;
    }
    String text = stdout + stderr;
    if (!text.isEmpty()) {
      notice("out", session.id(), text);
    }
    if (exit != null && !exit.isNull()) {
      notice("exited", session.id(), exit.asText());
    }
  }

  /** The agent sent {@code tunnel_error} for a session or one of its channels. */
  public void agentError(AgentId agent, String channel, String error) {
    TunnelSession session = agentSession(agent, sessionOf(channel));
    record(session, channel, "error", error, true);
    if (channel.equals(session.id())) {
      // The session itself failed: refused (terminal_disabled) or lost on the agent.
      close(session, TunnelStatus.ERROR, error, "agent:" + agent.value(), true);
      return;
    }
    if (channel.endsWith(":terminal")) {
      notice("err", session.id(), error);
    } else {
      notice("cmderr", channel, error);
    }
    if (error.startsWith("unknown_session")) {
      close(session, TunnelStatus.ERROR, error, "agent:" + agent.value(), false);
    }
  }

  /** The agent's socket on this node closed: every session it carried ends. */
  public void agentDisconnected(AgentId agent) {
    for (TunnelSession session : sessions.openForAgent(agent)) {
      close(session, TunnelStatus.CLOSED, "agent_disconnected", "agent:" + agent.value(), false);
    }
  }

  private TunnelSession agentSession(AgentId agent, String sessionId) {
    return sessions
        .find(sessionId)
        .filter(session -> session.agentId().equals(agent))
        .orElseThrow(
            () -> new NotFoundException("no tunnel session " + sessionId + " for this agent"));
  }

  private static String sessionOf(String channel) {
    int colon = channel.indexOf(':');
    return colon < 0 ? channel : channel.substring(0, colon);
  }

  // ---------------------------------------------------------------- closing and sweeping

  /**
   * Closes an open session once, whoever gets there first: records it, tells the agent (when {@code
   * tellAgent}) and the attached streams, and fails whatever waited on it.
   *
   * @return false if it was not open any more
   */
  boolean close(
      TunnelSession session,
      TunnelStatus status,
      String reason,
      String closedBy,
      boolean tellAgent) {
    Instant now = clock.instant();
    boolean closed =
        transactions.inTransaction(
            () -> {
              if (!sessions.close(session.id(), status, reason, closedBy, now)) {
                return false;
              }
              record(session, "session", "close", reason + " (" + closedBy + ")", true);
              if (!closedBy.startsWith("user:") || reason.equals("operator_disconnected")) {
                Map<String, String> details = new LinkedHashMap<>();
                details.put("session_id", session.id());
                details.put("agent_id", session.agentId().value());
                details.put("user_id", session.userId().value());
                details.put("reason", reason);
                audit.append(
                    new AuditEntry(
                        now,
                        session.tenantId(),
                        closedBy,
                        "tunnel.close",
                        "/api/v1/tunnel/" + session.id(),
                        AuditOutcome.SUCCEEDED,
                        null,
                        null,
                        details));
              }
              return true;
            });
    if (!closed) {
      return false;
    }
    log.info("Tunnel session {} closed: {} ({})", session.id(), reason, closedBy);
    if (tellAgent) {
      link.send(session.agentId(), new ServerFrame.TunnelClose(session.id(), reason));
    }
    touched.remove(session.id());
    streamlessSince.remove(session.id());
    notice(
        "closed", session.id(), (status == TunnelStatus.ERROR ? "error" : "closed") + " " + reason);
    return true;
  }

  // ---------------------------------------------------------------- notices, across nodes

  /** The bus topic of what agents said, for the node where the operator waits or watches. */
  static final String NOTICES = "courier_tunnel_notices";

  /** Characters of text per bus message (at most 3 bytes each, under the bus's 7900). */
  static final int PIECE = 2000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private volatile ClusterBus bus;
  private final Map<String, StringBuilder> assembling = new ConcurrentHashMap<>();

  /**
   * With several nodes (PostgreSQL), what an agent connected here says reaches the node where its
   * session's operator waits or watches, and the other way round: every notice is applied here and
   * published for the others, which apply it if they hold a waiter or a stream of the session.
   */
  public void joinCluster(ClusterBus clusterBus) {
    this.bus = clusterBus;
    clusterBus.subscribe(NOTICES, this::onNotice);
  }

  private void notice(String kind, String target, String data) {
    applyNotice(kind, target, data);
    ClusterBus cluster = bus;
    if (cluster == null) {
      return;
    }
    String text = data == null ? "" : data;
    List<String> parts = new java.util.ArrayList<>();
    int start = 0;
    do {
      int end = Math.min(text.length(), start + PIECE);
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      parts.add(text.substring(start, end));
      start = end;
    } while (start < text.length());
    for (int i = 0; i < parts.size(); i++) {
      try {
        cluster.publish(
            NOTICES,
            nodeId
                + " "
                + kind
                + " "
                + target
                + " "
                + (i + 1)
                + "/"
                + parts.size()
                + " "
                + parts.get(i));
      } catch (RuntimeException e) {
        log.warn("Publishing a tunnel notice for {} failed: {}", target, e.toString());
        return;
      }
    }
  }

  private void onNotice(String payload) {
    String[] part = payload.split(" ", 5);
    if (part.length < 4 || part[0].equals(nodeId)) {
      return;
    }
    String kind = part[1];
    String target = part[2];
    String piece = part.length == 5 ? part[4] : "";
    String[] count = part[3].split("/");
    int index = Integer.parseInt(count[0]);
    int total = Integer.parseInt(count[1]);
    String data = piece;
    if (total > 1) {
      String key = part[0] + " " + kind + " " + target;
      StringBuilder built = assembling.computeIfAbsent(key, k -> new StringBuilder());
      if (index == 1) {
        built.setLength(0);
      }
      built.append(piece);
      if (index < total) {
        return;
      }
      assembling.remove(key);
      data = built.toString();
    }
    try {
      applyNotice(kind, target, data);
    } catch (RuntimeException e) {
      log.warn("Applying a tunnel notice {} for {} failed: {}", kind, target, e.toString());
    }
  }

  /** Acts on a notice for whatever of the session this node holds: waiters, streams. */
  private void applyNotice(String kind, String target, String data) {
    switch (kind) {
      case "ready" -> {
        CompletableFuture<String> waiter = readyWaiters.get(target);
        if (waiter != null) {
          waiter.complete(null);
        }
        notifyStreams(target, stream -> stream.listener.status("ready", null));
        int[] size = terminals.get(target);
        if (size != null && streams.containsKey(target)) {
          sessions.find(target).ifPresent(session -> startTerminal(session, size[0], size[1]));
        }
      }
      case "cmd" -> {
        CompletableFuture<JsonNode> waiter = commandWaiters.get(target);
        if (waiter != null) {
          try {
            waiter.complete(JSON.readTree(data));
          } catch (java.io.IOException e) {
            waiter.completeExceptionally(new IllegalStateException("unreadable output relayed"));
          }
        }
      }
      case "cmderr" -> {
        CompletableFuture<JsonNode> waiter = commandWaiters.get(target);
        if (waiter != null) {
          waiter.completeExceptionally(
              new IllegalStateException("the agent failed the command: " + data));
        }
      }
      case "out" -> notifyStreams(target, stream -> stream.listener.output(data));
      case "exited" -> {
        terminalStopped(target);
        notifyStreams(
            target,
            stream ->
                stream.listener.status(
                    "ready", "the shell exited with code " + data + "; input starts a new one"));
      }
      case "err" -> {
        terminalStopped(target);
        notifyStreams(target, stream -> stream.listener.error(data));
      }
      case "closed" -> {
        int space = data.indexOf(' ');
        String status = data.substring(0, space);
        String reason = data.substring(space + 1);
        CompletableFuture<String> ready = readyWaiters.get(target);
        if (ready != null) {
          ready.completeExceptionally(new IllegalStateException(reason));
        }
        String prefix = target + ":";
        commandWaiters.forEach(
            (channel, waiter) -> {
              if (channel.startsWith(prefix)) {
                waiter.completeExceptionally(
                    new IllegalStateException("the tunnel session was closed: " + reason));
              }
            });
        notifyStreams(target, stream -> stream.listener.status(status, reason));
        streams.remove(target);
        terminals.remove(target);
      }
      default -> log.warn("Ignoring an unknown tunnel notice {}", kind);
    }
  }

  private void terminalStopped(String sessionId) {
    int[] size = terminals.get(sessionId);
    if (size != null) {
      synchronized (size) {
        size[2] = 0;
      }
    }
  }

  /**
   * At start-up, after {@link #joinCluster} if the server has a cluster: sessions that were open
   * when a server stopped without closing them. A node without a cluster is the only one, so all of
   * them; in a cluster those of this node and those no node has vouched for lately.
   *
   * @return how many were closed
   */
  public int closeLeftovers() {
    List<TunnelSession> leftovers =
        bus == null
            ? sessions.allOpen(Integer.MAX_VALUE)
            : java.util.stream.Stream.concat(
                    sessions.openOnNode(nodeId, Integer.MAX_VALUE).stream(),
                    sessions
                        .notVouchedSince(
                            clock.instant().minus(settings.nodeLiveness()), Integer.MAX_VALUE)
                        .stream())
                .toList();
    int closed = 0;
    for (TunnelSession session : leftovers) {
      if (close(session, TunnelStatus.CLOSED, "server_restart", "system", true)) {
        closed++;
      }
    }
    if (closed > 0) {
      log.info("Closed {} tunnel session(s) left open by a previous run", closed);
    }
    return closed;
  }

  /**
   * The periodic sweep: idle sessions, sessions past their maximum length, this node's sessions
   * whose agent is not connected any more, and sessions of nodes that stopped vouching.
   *
   * @return how many were closed
   */
  public int sweep() {
    Instant now = clock.instant();
    int closed = 0;
    for (TunnelSession session :
        sessions.idleSince(now.minus(settings.idleTimeout()), SWEEP_BATCH)) {
      closed += close(session, TunnelStatus.CLOSED, "idle_timeout", "system", true) ? 1 : 0;
    }
    for (TunnelSession session : sessions.pastExpiry(now, SWEEP_BATCH)) {
      closed += close(session, TunnelStatus.CLOSED, "max_duration", "system", true) ? 1 : 0;
    }
    for (TunnelSession session : sessions.openOnNode(nodeId, SWEEP_BATCH)) {
      if (!link.isConnected(session.agentId())
          && session.openedAt().isBefore(now.minusSeconds(2))) {
        closed +=
            close(session, TunnelStatus.CLOSED, "agent_disconnected", "system", false) ? 1 : 0;
      }
    }
    if (bus != null) {
      // Only nodes of a cluster vouch: a lone node's sessions are all its own.
      sessions.vouch(nodeId, now);
      for (TunnelSession session :
          sessions.notVouchedSince(now.minus(settings.nodeLiveness()), SWEEP_BATCH)) {
        closed += close(session, TunnelStatus.CLOSED, "node_lost", "system", true) ? 1 : 0;
      }
    }
    closed += closeAbandoned(now);
    return closed;
  }

  /** Closes this node's open sessions (shutdown). */
  public void closeAll(String reason) {
    for (TunnelSession session : sessions.openOnNode(nodeId, Integer.MAX_VALUE)) {
      try {
        close(session, TunnelStatus.CLOSED, reason, "system", true);
      } catch (RuntimeException e) {
        log.warn("Closing tunnel session {} at shutdown failed: {}", session.id(), e.toString());
      }
    }
  }

  // ---------------------------------------------------------------- records

  /** Activity, written at most every few seconds per session so output does not hammer the DB. */
  private void touch(String sessionId, long bytesIn, long bytesOut) {
    Instant now = clock.instant();
    Instant last = touched.get(sessionId);
    if (last == null || !last.plus(TOUCH_EVERY).isAfter(now) || bytesIn > 0) {
      touched.put(sessionId, now);
      sessions.touch(sessionId, now, bytesIn, bytesOut, 0);
    }
  }

  /**
   * Appends to the session's transcript. Output is kept up to the cap, then a marker; the rest
   * (command lines, refusals, errors, open and close) is always kept.
   */
  private void record(
      TunnelSession session, String channel, String kind, String data, boolean always) {
    String text =
        data == null ? null : data.length() > MAX_DETAIL ? data.substring(0, MAX_DETAIL) : data;
    long bytes = text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    if (!always && !sessions.reserveTranscript(session.id(), bytes, settings.transcriptCap())) {
      if (sessions.markTranscriptTruncated(session.id())) {
        append(
            session,
            channel,
            "truncated",
            "the transcript reached its cap of "
                + settings.transcriptCap()
                + " bytes; further output is not kept (command lines still are)");
      }
      return;
    }
    append(session, channel, kind, text);
  }

  private void append(TunnelSession session, String channel, String kind, String text) {
    long next =
        seq.updateAndGet(previous -> Math.max(previous + 1, System.currentTimeMillis() * 1000));
    sessions.appendTranscript(
        new TranscriptEntry(
            Ids.newId(clock), session.id(), next, channel, kind, text, clock.instant()));
  }

  private static String actor(Operator operator) {
    return "user:" + operator.username();
  }

  private static String uuid(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(field + " is required", field);
    }
    if (!UUID_TEXT.matcher(value).matches()) {
      throw new InvalidInputException(field + " must be a UUID", field);
    }
    return value.toLowerCase(java.util.Locale.ROOT);
  }
}
