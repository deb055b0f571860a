package dev.courier.protocol.http;

import dev.courier.protocol.AgentId;

/**
 * 201 answer to enrollment: the agent's id, its secret key (shown once) and the server's envelope
 * signing key (base64 X.509, see {@link dev.courier.protocol.envelope.EnvelopeKeys}).
 */
public record EnrollResponse(AgentId agentId, String agentKey, String serverPublicKey) {}
