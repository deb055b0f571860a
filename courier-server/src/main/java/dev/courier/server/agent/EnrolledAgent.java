package dev.courier.server.agent;

/**
 * The answer to a successful enrollment: the agent's identity, its secret key (shown once), and the
 * server key it must pin to verify command envelopes.
 */
public record EnrolledAgent(Agent agent, String agentKey, String serverPublicKey) {}
