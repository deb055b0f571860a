package dev.courier.protocol.http;

import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;

/** 200 answer to a result report; a repeat of the identical report gets the same answer. */
public record ResultResponse(boolean accepted, CommandId commandId, CommandStatus status) {}
