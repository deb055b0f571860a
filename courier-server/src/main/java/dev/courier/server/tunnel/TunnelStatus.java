package dev.courier.server.tunnel;

import java.util.Arrays;

/**
 * Where a tunnel session stands (seed 002's tech_sessions status): {@code active} once asked for,
 * {@code ready} once the agent answered {@code tunnel_ready}, then {@code closed} (by someone, a
 * timeout or a disconnect) or {@code error} (the agent refused or failed it).
 */
public enum TunnelStatus {
  ACTIVE("active"),
  READY("ready"),
  CLOSED("closed"),
  ERROR("error");

  private final String wireName;

  TunnelStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Whether the session still counts against the one-per-agent rule and the user's cap. */
  public boolean isOpen() {
    return this == ACTIVE || this == READY;
  }

  public static TunnelStatus fromWireName(String name) {
    return Arrays.stream(values())
        .filter(status -> status.wireName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown tunnel status " + name));
  }
}
