package dev.courier.server.command;

import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;

/**
 * What an agent's acknowledgement, start or result left its command in: all the agent is told in
 * reply. Not the whole command, so the hot path need not read the row back after writing it.
 */
public record ReportOutcome(CommandId commandId, CommandStatus status) {}
