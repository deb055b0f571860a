package dev.courier.server.command;

import java.util.Arrays;

/**
 * Where a command is in its lifecycle (DESIGN §2). The wire name is what the API and the database
 * carry; the seeds' other names are accepted by the API layer, not stored.
 */
public enum CommandStatus {
  PENDING("pending", false),
  ACCEPTED("accepted", false),
  RUNNING("running", false),
  CANCELLING("cancelling", false),
  COMPLETED("completed", true),
  FAILED("failed", true),
  TIMED_OUT("timed_out", true),
  CANCELLED("cancelled", true),
  EXPIRED("expired", true);

  private final String wireName;
  private final boolean terminal;

  CommandStatus(String wireName, boolean terminal) {
    this.wireName = wireName;
    this.terminal = terminal;
  }

  public String wireName() {
    return wireName;
  }

  /** Terminal states never change. */
  public boolean isTerminal() {
    return terminal;
  }

  public static CommandStatus fromWireName(String name) {
    return Arrays.stream(values())
        .filter(s -> s.wireName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown command status: " + name));
  }
}
