package dev.courier.protocol.http;

import java.time.Instant;

/** Body of {@code POST /api/v1/commands/{id}/acknowledge}. */
public record AcknowledgeRequest(Instant startedAt) {}
