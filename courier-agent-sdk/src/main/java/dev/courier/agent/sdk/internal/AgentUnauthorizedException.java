package dev.courier.agent.sdk.internal;

/** The server refused the agent key (401): it was revoked, or the agent was decommissioned. */
public final class AgentUnauthorizedException extends RuntimeException {

  public AgentUnauthorizedException(String message) {
    super(message);
  }
}
