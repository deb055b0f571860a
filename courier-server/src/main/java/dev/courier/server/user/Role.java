package dev.courier.server.user;

import java.util.Arrays;

/** An operator's role; the wire name is what the API and the database carry. */
public enum Role {
  SYSTEM_ADMIN("system_admin"),
  TENANT_ADMIN("tenant_admin"),
  OPERATOR("operator"),
  AUDITOR("auditor");

  private final String wireName;

  Role(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Role fromWireName(String name) {
    return Arrays.stream(values())
        .filter(r -> r.wireName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown role: " + name));
  }
}
