package dev.courier.server.agent;

/** An agent after decommissioning, with what happened to its queue. */
public record DecommissionedAgent(Agent agent, AgentQueue.Cancelled queue) {}
