package dev.courier.server.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.envelope.CanonicalJson;
import dev.courier.server.auth.Operator;
import dev.courier.server.common.Transactions;
import dev.courier.server.error.ConflictException;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.NotFoundException;
import dev.courier.server.events.Event;
import dev.courier.server.events.EventOutbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The life of an agent's key after enrollment: the agent rotates it (the old key keeps working for
 * {@link #ROTATION_GRACE}), an operator revokes it (every key stops at once, open sockets close),
 * or an operator decommissions the agent (revoked, its queue cancelled, no longer a target).
 *
 * <p>Only the agent rotates its key: a key the server made up on an operator's behalf would have to
 * reach the agent by some other channel, and an agent that never got it would be locked out
 * silently when the grace ends. An operator who distrusts a key revokes it instead.
 */
public final class AgentCredentials {

  /** How long the key an agent rotated away from keeps working. */
  public static final Duration ROTATION_GRACE = Duration.ofHours(24);

  private final Transactions transactions;
  private final AgentRepository agents;
  private final EventOutbox events;
  private final AgentQueue queue;
  private final AgentSessions sessions;
  private final Clock clock;

  public AgentCredentials(
      Transactions transactions,
      AgentRepository agents,
      EventOutbox events,
      AgentQueue queue,
      AgentSessions sessions,
      Clock clock) {
    this.transactions = transactions;
    this.agents = agents;
    this.events = events;
    this.queue = queue;
    this.sessions = sessions;
    this.clock = clock;
  }

  /**
   * Gives the agent a new key. The key it authenticated with stays valid for {@link
   * #ROTATION_GRACE}; if that was already its previous key (the answer to an earlier rotation was
   * lost), the previous key keeps its original expiry, so a grace can never be stretched.
   *
   * @param agent the agent, as {@code presentedKey} authenticated it
   * @param target the agent named in the path: an agent rotates only its own key
   */
  public RotatedKey rotate(Agent agent, String presentedKey, AgentId target) {
    if (!agent.id().equals(target)) {
      throw new NotFoundException("no agent " + target.value() + " for this agent key", "id");
    }
    Instant now = clock.instant();
    String presented = Secrets.hash(presentedKey.trim());
    boolean withCurrent = presented.equals(agent.keyHash());
    String previous = withCurrent ? presented : agent.previousKeyHash();
    Instant previousUntil = withCurrent ? now.plus(ROTATION_GRACE) : agent.previousKeyExpiresAt();
    String newKey = Secrets.generate(Secrets.AGENT_KEY_PREFIX);
    String newHash = Secrets.hash(newKey);
    boolean rotated =
        transactions.inTransaction(
            () -> {
              if (!agents.rotateKey(
                  agent.id(), agent.keyHash(), newHash, previous, previousUntil, now)) {
                return false;
              }
              ObjectNode payload = payload(agent);
              payload.put("previous_key_expires_at", previousUntil.toString());
              events.append(event(agent, "agent.key_rotated", payload, now));
              return true;
            });
    if (!rotated) {
      throw new ConflictException(
          "the agent's key changed meanwhile (another rotation or a revocation); retry with the"
              + " current key",
          "agent_key");
    }
    sessions.keyRotated(agent.id(), newHash, previous, previousUntil);
    return new RotatedKey(agent.id(), newKey, previousUntil);
  }

  /**
   * An operator asking to rotate: refused, after the usual visibility check (another tenant's agent
   * is not found), because only the agent can receive its new key.
   */
  public void refuseOperatorRotation(Operator operator, AgentId id) {
    visible(operator, id);
    throw new ForbiddenException(
        "only the agent rotates its own key (with its current agent key); to cut a key off,"
            + " revoke the agent (POST /api/v1/agents/"
            + id.value()
            + "/revoke)",
        "id");
  }

  /**
   * Revokes every key of the agent at once and closes its open connections. Revoking again changes
   * nothing and answers the same.
   */
  public Agent revoke(Operator operator, AgentId id) {
    Agent agent = visible(operator, id);
    Instant now = clock.instant();
    transactions.inTransaction(
        () -> {
          if (agents.revoke(agent.id(), now)) {
            events.append(event(agent, "agent.revoked", payload(agent), now));
          }
        });
    sessions.credentialsRevoked(agent.id(), "revoked", "the agent key was revoked by an operator");
    return reload(agent);
  }

  /**
   * Decommissions the agent: revokes its keys and marks it decommissioned (one transaction, so from
   * then on no command can be created for it), then cancels its queue, command by command, each
   * transition with its event, and last closes its connections, after any cancel frames.
   * Decommissioning again cancels whatever is still open and answers the same.
   */
  public DecommissionedAgent decommission(Operator operator, AgentId id) {
    Agent agent = visible(operator, id);
    Instant now = clock.instant();
    transactions.inTransaction(
        () -> {
          if (agents.decommission(agent.id(), now)) {
            events.append(event(agent, "agent.decommissioned", payload(agent), now));
          }
        });
    AgentQueue.Cancelled cancelled = queue.cancelAll(agent.id());
    sessions.credentialsRevoked(
        agent.id(), "decommissioned", "the agent was decommissioned by an operator");
    return new DecommissionedAgent(reload(agent), cancelled);
  }

  private Agent visible(Operator operator, AgentId id) {
    return operator
        .tenantScope()
        .map(tenant -> agents.find(tenant, id))
        .orElseGet(() -> agents.find(id))
        .orElseThrow(() -> new NotFoundException("no agent " + id.value(), "id"));
  }

  private Agent reload(Agent agent) {
    return agents.find(agent.id()).orElse(agent);
  }

  private static ObjectNode payload(Agent agent) {
    ObjectNode payload = CanonicalJson.emptyObject();
    payload.put("agent_id", agent.id().value());
    payload.put("hostname", agent.hostname());
    return payload;
  }

  private static Event event(Agent agent, String type, ObjectNode payload, Instant at) {
    return Event.of(agent.tenantId(), type, agent.id().value(), payload.toString(), at);
  }
}
