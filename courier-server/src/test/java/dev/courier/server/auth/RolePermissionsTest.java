package dev.courier.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.server.user.Role;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RolePermissionsTest {

  /** Every role × every permission, written out: a change to the table must change this too. */
  private static final List<String> PERMISSIONS =
      List.of(
          "commands:read",
          "commands:write",
          "agents:read",
          "agents:write",
          "enrollment:read",
          "enrollment:write",
          "schedules:read",
          "schedules:write",
          "terminal:open",
          "audit:read",
          "users:read",
          "users:write",
          "tenants:write");

  // Columns in the order of PERMISSIONS; Y = granted.
  private static final Map<String, String> EXPECTED =
      Map.of(
          //                  cr cw ar aw er ew sr sw to au ur uw tw
          "system_admin", "    Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y",
          "tenant_admin", "    Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  .",
          "operator", "        Y  Y  Y  .  Y  Y  Y  Y  Y  .  .  .  .",
          "auditor", "         Y  .  Y  .  Y  .  Y  .  .  Y  Y  .  .");

  @Test
  void the_permissions_are_exactly_these_wire_names() {
    assertThat(Arrays.stream(Permission.values()).map(Permission::wireName).toList())
        .isEqualTo(PERMISSIONS);
  }

  @Test
  void every_role_holds_exactly_the_permissions_of_the_pinned_table() {
    assertThat(EXPECTED.keySet())
        .isEqualTo(Arrays.stream(Role.values()).map(Role::wireName).collect(Collectors.toSet()));
    for (Role role : Role.values()) {
      String[] cells = EXPECTED.get(role.wireName()).trim().split("\\s+");
      assertThat(cells).as(role.wireName()).hasSize(PERMISSIONS.size());
      for (int i = 0; i < cells.length; i++) {
        Permission permission = Permission.values()[i];
        assertThat(RolePermissions.allows(role, permission))
            .as("%s × %s", role.wireName(), permission.wireName())
            .isEqualTo(cells[i].equals("Y"));
      }
    }
  }

  @Test
  void an_auditor_holds_only_reads_and_every_read() {
    Set<String> reads = new TreeSet<>();
    for (Permission permission : Permission.values()) {
      if (permission.wireName().endsWith(":read")) {
        reads.add(permission.wireName());
      }
    }
    Set<String> held = new TreeSet<>();
    RolePermissions.of(Role.AUDITOR).forEach(permission -> held.add(permission.wireName()));
    assertThat(held).isEqualTo(reads);
  }

  @Test
  void only_a_system_admin_may_create_tenants() {
    for (Role role : Role.values()) {
      assertThat(RolePermissions.allows(role, Permission.TENANTS_WRITE))
          .as(role.wireName())
          .isEqualTo(role == Role.SYSTEM_ADMIN);
    }
  }
}
