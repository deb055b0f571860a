package dev.courier.server.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.Priority;
import dev.courier.protocol.envelope.CanonicalJson;
import dev.courier.server.agent.Agent;
import dev.courier.server.agent.AgentRepository;
import dev.courier.server.auth.Operator;
import dev.courier.server.common.DuplicateKeyException;
import dev.courier.server.common.Ids;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.common.Transactions;
import dev.courier.server.error.ConflictException;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.error.NotFoundException;
import dev.courier.server.error.RateLimitedException;
import dev.courier.server.events.EventOutbox;
import dev.courier.server.ratelimit.Decision;
import dev.courier.server.ratelimit.KeyedRateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What operators do with commands: create, read, list, cancel. Agent-side steps are in {@link
 * CommandDelivery}.
 */
public final class CommandService {

  static final Duration MAX_TIMEOUT = Duration.ofDays(1);
  static final Duration MAX_EXPIRY = Duration.ofDays(30);
  static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

  private final Transactions transactions;
  private final CommandRepository commands;
  private final AgentRepository agents;
  private final EventOutbox events;
  private final CommandTypeCatalog types;
  private final CommandTransitions transitions;
  private final CommandNotifier notifier;
  private final KeyedRateLimiter creationPerTenant;
  private final Clock clock;

  public CommandService(
      Transactions transactions,
      CommandRepository commands,
      AgentRepository agents,
      EventOutbox events,
      CommandTypeCatalog types,
      CommandTransitions transitions,
      CommandNotifier notifier,
      KeyedRateLimiter creationPerTenant,
      Clock clock) {
    this.transactions = transactions;
    this.commands = commands;
    this.agents = agents;
    this.events = events;
    this.types = types;
    this.transitions = transitions;
    this.notifier = notifier;
    this.creationPerTenant = creationPerTenant;
    this.clock = clock;
  }

  /**
   * Queues a command for one agent. The same idempotency key with the same request returns the
   * original command; with a different request it is a conflict. Each new command takes one permit
   * from its tenant's creation allowance (a replay takes none); with none left the request is
   * refused with {@link RateLimitedException}.
   */
  public CreatedCommand create(Operator operator, NewCommand request) {
    CommandType type = types.require(request.type(), "type");
    types.validateParams(type, request.params());
    Agent agent = targetAgent(operator, request);
    Instant now = clock.instant();
    Duration timeout = timeoutOf(request, type);
    Instant expiresAt = expiryOf(request, type, now);
    String requestHash = requestHash(request);
    if (request.idempotencyKey() != null) {
      Optional<CreatedCommand> earlier = earlierRequest(agent, request, requestHash);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    Command command =
        Command.pending(
                CommandId.of(Ids.newId()),
                agent.tenantId(),
                agent.id(),
                type.name(),
                request.params().toString(),
                request.priority() == null ? Priority.NORMAL : request.priority(),
                timeout,
                now,
                expiresAt)
            .withRequestedBy(operator.userId().value());
    if (request.idempotencyKey() != null) {
      command = command.withIdempotency(request.idempotencyKey(), requestHash);
    }
    Command toInsert = command;
    String tenant = agent.tenantId().value();
    admitCreation(tenant);
    try {
      transactions.inTransaction(
          () -> {
            commands.insert(toInsert);
            events.append(transitions.eventFor(toInsert, CommandStatus.PENDING, now, null));
          });
    } catch (DuplicateKeyException raced) {
      // Another request with the same key committed between our check and our insert.
      creationPerTenant.release(tenant);
      return earlierRequest(agent, request, requestHash).orElseThrow(() -> raced);
    } catch (RuntimeException notCreated) {
      creationPerTenant.release(tenant);
      throw notCreated;
    }
    notifier.commandReady(command);
    return new CreatedCommand(command, true);
  }

  public Command get(Operator operator, CommandId id) {
    return find(operator, id)
        .orElseThrow(() -> new NotFoundException("no command " + id.value(), "id"));
  }

  /**
   * Waits up to {@code max} for the command to reach a final state and returns it as it is then,
   * final or not.
   */
  public Command awaitFinal(Operator operator, CommandId id, Duration max, CommandWaiters waiters)
      throws InterruptedException {
    Instant deadline = clock.instant().plus(max);
    Command command = get(operator, id);
    while (!command.status().isTerminal()) {
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        break;
      }
      waiters.awaitSlice(id, left);
      command = get(operator, id);
    }
    return command;
  }

  public Optional<Command> find(Operator operator, CommandId id) {
    return operator
        .tenantScope()
        .map(tenant -> commands.find(tenant, id))
        .orElseGet(() -> commands.find(id));
  }

  public Page<Command> list(Operator operator, CommandQuery query, PageRequest page) {
    CommandQuery scoped = operator.tenantScope().map(query::withTenant).orElse(query);
    return commands.list(scoped, page);
  }

  /**
   * Cancels a command: a pending one ends at once; an accepted or running one becomes {@code
   * cancelling} and its agent is told to stop. A final command cannot be cancelled.
   */
  public Command cancel(Operator operator, CommandId id) {
    Command command = get(operator, id);
    if (command.status() == CommandStatus.CANCELLING) {
      return command;
    }
    Optional<CommandStatus> outcome =
        transitions.apply(command, CommandEvent.CANCEL, clock.instant());
    Command after = get(operator, id);
    if (outcome.isEmpty()) {
      throw new ConflictException(
          "command "
              + id.value()
              + " is already "
              + after.status().wireName()
              + "; it cannot be cancelled",
          "status");
    }
    if (outcome.get() == CommandStatus.CANCELLING) {
      notifier.cancelRequested(after);
    } else {
      notifier.commandFinished(after.id());
    }
    return after;
  }

  private void admitCreation(String tenant) {
    Decision decision = creationPerTenant.tryAcquire(tenant);
    if (!decision.granted()) {
      throw new RateLimitedException(
          "tenant "
              + tenant
              + " is creating commands faster than its allowance of "
              + creationPerTenant.limit().permits()
              + " per minute; try again in "
              + decision.retryAfter().toSeconds()
              + " s",
          decision.retryAfter());
    }
  }

  private Agent targetAgent(Operator operator, NewCommand request) {
    Optional<Agent> agent = agents.find(request.agentId());
    if (agent.isEmpty()) {
      throw new InvalidInputException("no agent " + request.agentId().value(), "agent_id");
    }
    if (operator.tenantScope().isPresent()
        && !operator.tenantScope().get().equals(agent.get().tenantId())) {
      // Seed 000: targeting another tenant's asset is forbidden, not merely unknown.
      throw new ForbiddenException("the agent belongs to another tenant", "agent_id");
    }
    if (agent.get().decommissionedAt() != null) {
      throw new ConflictException(
          "agent " + request.agentId().value() + " is decommissioned", "agent_id");
    }
    if (agent.get().revokedAt() != null) {
      throw new ConflictException(
          "agent " + request.agentId().value() + " has a revoked key and cannot receive commands",
          "agent_id");
    }
    return agent.get();
  }

  private Optional<CreatedCommand> earlierRequest(Agent agent, NewCommand request, String hash) {
    return commands
        .findByIdempotencyKey(agent.tenantId(), request.idempotencyKey())
        .map(
            earlier -> {
              if (!hash.equals(earlier.requestHash())) {
                throw new ConflictException(
                    "idempotency key '"
                        + request.idempotencyKey()
                        + "' was already used for a different request",
                    "idempotency_key");
              }
              return new CreatedCommand(earlier, false);
            });
  }

  private static Duration timeoutOf(NewCommand request, CommandType type) {
    if (request.timeout() == null) {
      return type.defaultTimeout();
    }
    if (request.timeout().isNegative()
        || request.timeout().isZero()
        || request.timeout().compareTo(MAX_TIMEOUT) > 0) {
      throw new InvalidInputException(
          "timeout_seconds must be between 1 and " + MAX_TIMEOUT.toSeconds(), "timeout_seconds");
    }
    return request.timeout();
  }

  private static Instant expiryOf(NewCommand request, CommandType type, Instant now) {
    if (request.expiresAt() == null) {
      return now.plus(type.defaultExpiry());
    }
    if (!request.expiresAt().isAfter(now) || request.expiresAt().isAfter(now.plus(MAX_EXPIRY))) {
      throw new InvalidInputException(
          "expires_at must be in the future and at most " + MAX_EXPIRY.toDays() + " days away",
          "expires_at");
    }
    return request.expiresAt();
  }

  /** What makes two requests "the same" for idempotency: every field that shapes the command. */
  private static String requestHash(NewCommand request) {
    ObjectNode shape = CanonicalJson.emptyObject();
    shape.put("agent_id", request.agentId().value());
    shape.put("type", request.type());
    shape.set("params", request.params());
    shape.put("priority", request.priority() == null ? "normal" : request.priority().wireName());
    shape.put("timeout", request.timeout() == null ? -1 : request.timeout().toSeconds());
    shape.put("expires_at", request.expiresAt() == null ? "" : request.expiresAt().toString());
    return CanonicalJson.sha256Hex(shape);
  }
}
