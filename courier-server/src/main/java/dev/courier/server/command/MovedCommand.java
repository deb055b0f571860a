package dev.courier.server.command;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.server.tenant.TenantId;
import java.util.Objects;

/**
 * What a guarded transition answers about the command it moved: whose it is, what it is, and the
 * status it left. Enough for the transition's event and counters, so nobody reads the row first.
 */
public record MovedCommand(
    CommandId id,
    TenantId tenantId,
    AgentId agentId,
    String type,
    String rolloutId,
    CommandStatus from) {

  public MovedCommand {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(from, "from");
  }

  /** The same command, about to leave {@code status}. */
  public MovedCommand leaving(CommandStatus status) {
    return new MovedCommand(id, tenantId, agentId, type, rolloutId, status);
  }

  /** The same facts for a command already read, about to leave its current status. */
  public static MovedCommand leaving(Command command) {
    return new MovedCommand(
        command.id(),
        command.tenantId(),
        command.agentId(),
        command.type(),
        command.rolloutId(),
        command.status());
  }
}
