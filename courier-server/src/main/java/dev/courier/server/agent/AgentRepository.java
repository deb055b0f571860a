package dev.courier.server.agent;

import dev.courier.protocol.AgentId;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stores enrolled agents and their presence. */
public interface AgentRepository {

  void create(Agent agent);

  /** The agent if it belongs to {@code tenantId}; another tenant's agent is simply not found. */
  Optional<Agent> find(TenantId tenantId, AgentId id);

  /** Unscoped lookup, for the agent authenticating itself. */
  Optional<Agent> find(AgentId id);

  /**
   * The agent whose current key hashes to {@code keyHash}, or whose previous key does and has not
   * expired by {@code now} (key rotation grace).
   */
  Optional<Agent> findByKeyHash(String keyHash, Instant now);

  /**
   * Every agent of the tenant that can take commands (neither revoked nor decommissioned), oldest
   * enrolled first: the candidates a rollout's selector picks from.
   */
  List<AgentTarget> targets(TenantId tenantId);

  /** Agents newest-enrolled first, keyset-paginated. */
  Page<Agent> list(AgentQuery query, PageRequest page);

  /**
   * How many agents are online, offline (both in service) and decommissioned.
   *
   * @param tenantId null counts every tenant
   */
  AgentCounts count(TenantId tenantId);

  /**
   * Records a heartbeat and marks the agent online.
   *
   * @return true if the agent was offline before (the caller emits {@code agent.online}); false if
   *     it was already online or does not exist
   */
  boolean recordHeartbeat(Heartbeat heartbeat);

  /**
   * Marks offline every online agent whose last heartbeat is older than {@code cutoff}.
   *
   * @return the agents that went offline, for {@code agent.offline} events
   */
  List<AgentId> markOfflineSince(Instant cutoff, Instant now);

  /**
   * Replaces the agent's labels.
   *
   * @return false if there is no such agent in the tenant
   */
  boolean updateLabels(TenantId tenantId, AgentId id, Map<String, String> labels, Instant now);

  /**
   * Adds finished commands to their agents' health counters (succeeded to commands_completed, the
   * rest to commands_failed), in one statement batch.
   */
  void countFinishedCommands(List<FinishedCommands> counts);

  /**
   * Replaces the agent's key in one guarded write: only if its current key hash is still {@code
   * expectedKeyHash} and it is neither revoked nor decommissioned, so of two racing rotations one
   * wins.
   *
   * @param previousKeyHash the hash that stays valid until {@code previousKeyExpiresAt}
   * @return true if this call made the change
   */
  boolean rotateKey(
      AgentId id,
      String expectedKeyHash,
      String newKeyHash,
      String previousKeyHash,
      Instant previousKeyExpiresAt,
      Instant now);

  /**
   * Revokes every key of the agent: sets {@code revokedAt} and drops a previous key still in its
   * grace.
   *
   * @return true if the agent was not revoked before
   */
  boolean revoke(AgentId id, Instant now);

  /**
   * Marks the agent decommissioned and offline, revoking its keys if they are not already.
   *
   * @return true if the agent was not decommissioned before
   */
  boolean decommission(AgentId id, Instant now);
}
