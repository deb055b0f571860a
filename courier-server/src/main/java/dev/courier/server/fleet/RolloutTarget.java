package dev.courier.server.fleet;

import dev.courier.protocol.AgentId;

/** One selected agent of a rollout, in dispatch order. */
public record RolloutTarget(int position, AgentId agentId) {}
