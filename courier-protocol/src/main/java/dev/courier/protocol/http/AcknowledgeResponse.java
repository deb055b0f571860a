package dev.courier.protocol.http;

import dev.courier.protocol.CommandId;

/** 200 answer to an acknowledge; a 409 problem means another delivery already claimed it. */
public record AcknowledgeResponse(boolean acknowledged, CommandId commandId) {}
