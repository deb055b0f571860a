package dev.courier.server.agent;

import dev.courier.protocol.AgentId;
import java.time.Instant;

/**
 * The answer to a key rotation: the new secret, shown this once, and until when the key the agent
 * rotated with keeps working.
 */
public record RotatedKey(AgentId agentId, String agentKey, Instant previousKeyExpiresAt) {}
