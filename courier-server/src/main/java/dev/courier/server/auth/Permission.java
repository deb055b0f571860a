package dev.courier.server.auth;

import java.util.Optional;

/**
 * What an operator may do, named as the API documents it ({@code commands:write}). Routes declare
 * the one permission they need; {@link RolePermissions} says which roles hold it.
 */
public enum Permission {
  COMMANDS_READ("commands:read"),
  COMMANDS_WRITE("commands:write"),
  AGENTS_READ("agents:read"),
  AGENTS_WRITE("agents:write"),
  ENROLLMENT_READ("enrollment:read"),
  ENROLLMENT_WRITE("enrollment:write"),
  SCHEDULES_READ("schedules:read"),
  SCHEDULES_WRITE("schedules:write"),
  TERMINAL_OPEN("terminal:open"),
  AUDIT_READ("audit:read"),
  USERS_READ("users:read"),
  USERS_WRITE("users:write"),
  TENANTS_WRITE("tenants:write");

  private final String wireName;

  Permission(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The permission with this wire name, if there is one. */
  public static Optional<Permission> fromWireName(String wireName) {
    for (Permission permission : values()) {
      if (permission.wireName.equals(wireName)) {
        return Optional.of(permission);
      }
    }
    return Optional.empty();
  }

  /** Reading never changes anything; an auditor holds every read permission and nothing else. */
  public boolean isRead() {
    return wireName.endsWith(":read");
  }
}
