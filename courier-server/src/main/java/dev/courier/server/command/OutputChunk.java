package dev.courier.server.command;

import dev.courier.protocol.CommandId;
import java.time.Instant;

/**
 * One piece of a running command's output as the agent streamed it.
 *
 * @param seq the agent's sequence number, increasing per agent process
 * @param stream {@code stdout} or {@code stderr}
 */
public record OutputChunk(CommandId commandId, long seq, String stream, String data, Instant at) {}
