package dev.courier.server.command;

/**
 * The answer to a create request.
 *
 * @param created false when an earlier request with the same idempotency key already made it
 */
public record CreatedCommand(Command command, boolean created) {}
