package dev.courier.server.auth;

import static dev.courier.server.auth.Permission.AGENTS_READ;
import static dev.courier.server.auth.Permission.COMMANDS_READ;
import static dev.courier.server.auth.Permission.COMMANDS_WRITE;
import static dev.courier.server.auth.Permission.ENROLLMENT_READ;
import static dev.courier.server.auth.Permission.ENROLLMENT_WRITE;
import static dev.courier.server.auth.Permission.SCHEDULES_READ;
import static dev.courier.server.auth.Permission.SCHEDULES_WRITE;
import static dev.courier.server.auth.Permission.TENANTS_WRITE;
import static dev.courier.server.auth.Permission.TERMINAL_OPEN;

import dev.courier.server.user.Role;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of who may do what. Tenant confinement is separate (every service scopes its
 * queries by {@link Operator#tenantScope()}): a permission says what kind of act is allowed, the
 * tenant scope says on which rows.
 *
 * <ul>
 *   <li>{@code system_admin}: everything, in every tenant.
 *   <li>{@code tenant_admin}: everything within its tenant except creating tenants.
 *   <li>{@code operator}: runs the fleet day to day: reads and writes commands, reads agents,
 *       issues enrollment tokens, manages schedules, opens terminals; does not revoke or
 *       decommission agents, manage users or read the audit trail.
 *   <li>{@code auditor}: every {@code :read} permission (audit included), nothing else.
 * </ul>
 */
public final class RolePermissions {

  private static final Map<Role, Set<Permission>> TABLE = table();

  private RolePermissions() {}

  private static Map<Role, Set<Permission>> table() {
    Map<Role, Set<Permission>> table = new EnumMap<>(Role.class);
    table.put(Role.SYSTEM_ADMIN, EnumSet.allOf(Permission.class));
    table.put(Role.TENANT_ADMIN, EnumSet.complementOf(EnumSet.of(TENANTS_WRITE)));
    table.put(
        Role.OPERATOR,
        EnumSet.of(
            COMMANDS_READ,
            COMMANDS_WRITE,
            AGENTS_READ,
            ENROLLMENT_READ,
            ENROLLMENT_WRITE,
            SCHEDULES_READ,
            SCHEDULES_WRITE,
            TERMINAL_OPEN));
    EnumSet<Permission> reads = EnumSet.noneOf(Permission.class);
    Arrays.stream(Permission.values()).filter(Permission::isRead).forEach(reads::add);
    table.put(Role.AUDITOR, reads);
    table.replaceAll((role, permissions) -> Collections.unmodifiableSet(permissions));
    return Collections.unmodifiableMap(table);
  }

  public static Set<Permission> of(Role role) {
    return TABLE.get(role);
  }

  public static boolean allows(Role role, Permission permission) {
    return TABLE.get(role).contains(permission);
  }
}
