package dev.courier.protocol.http;

import dev.courier.protocol.CommandStatus;
import java.time.Instant;

/** Body of {@code POST /api/v1/commands/{id}/status}; agents send {@code running}. */
public record StatusRequest(CommandStatus status, Instant at) {}
