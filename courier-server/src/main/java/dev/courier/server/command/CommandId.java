package dev.courier.server.command;

import dev.courier.server.common.Ids;

/** Identifies one command for one agent. */
public record CommandId(String value) {
  public CommandId {
    Ids.requireValid(value, "CommandId");
  }

  public static CommandId of(String value) {
    return new CommandId(value);
  }

  /** A new time-ordered id. */
  public static CommandId random() {
    return new CommandId(Ids.newId());
  }

  @Override
  public String toString() {
    return value;
  }
}
