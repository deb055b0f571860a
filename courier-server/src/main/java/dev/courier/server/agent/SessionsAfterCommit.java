package dev.courier.server.agent;

import dev.courier.protocol.AgentId;
import dev.courier.server.common.Transactions;
import java.time.Instant;

/**
 * Holds each credential change for the agents' open connections until it commits: a socket closed
 * for a revocation that has not committed lets the agent reconnect, still accepted, in between.
 */
public final class SessionsAfterCommit implements AgentSessions {
  private final Transactions transactions;
  private final AgentSessions target;

  public SessionsAfterCommit(Transactions transactions, AgentSessions target) {
    this.transactions = transactions;
    this.target = target;
  }

  @Override
  public void keyRotated(
      AgentId agent, String currentKeyHash, String previousKeyHash, Instant previousKeyExpiresAt) {
    transactions.afterCommit(
        () -> target.keyRotated(agent, currentKeyHash, previousKeyHash, previousKeyExpiresAt));
  }

  @Override
  public void credentialsRevoked(AgentId agent, String code, String message) {
    transactions.afterCommit(() -> target.credentialsRevoked(agent, code, message));
  }
}
