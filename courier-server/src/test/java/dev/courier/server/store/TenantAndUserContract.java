package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.server.common.DuplicateKeyException;
import dev.courier.server.tenant.Tenant;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.user.Role;
import dev.courier.server.user.User;
import dev.courier.server.user.UserId;
import org.junit.jupiter.api.Test;

abstract class TenantAndUserContract extends StoreContract {

  @Test
  void a_tenant_round_trips_and_is_listed() {
    Tenant tenant = new Tenant(TenantId.random(), "acme-" + TenantId.random(), START);

    repos.tenants().create(tenant);

    assertThat(repos.tenants().find(tenant.id())).contains(tenant);
    assertThat(repos.tenants().list()).contains(tenant);
    assertThat(repos.tenants().find(TenantId.random())).isEmpty();
  }

  @Test
  void tenant_names_are_unique() {
    String name = "unique-" + TenantId.random();
    repos.tenants().create(new Tenant(TenantId.random(), name, START));

    assertThatThrownBy(() -> repos.tenants().create(new Tenant(TenantId.random(), name, START)))
        .isInstanceOf(DuplicateKeyException.class);
  }

  @Test
  void users_are_found_by_id_and_username_and_counted() {
    TenantId tenant = fixtures.tenant();
    long before = repos.users().count();
    User operator =
        new User(
            UserId.random(),
            tenant,
            "op-" + tenant.value(),
            "argon2id$hash",
            Role.OPERATOR,
            false,
            START);
    User admin =
        new User(
            UserId.random(),
            null,
            "root-" + tenant.value(),
            "argon2id$hash",
            Role.SYSTEM_ADMIN,
            true,
            START);

    repos.users().create(operator);
    repos.users().create(admin);

    assertThat(repos.users().find(operator.id())).contains(operator);
    assertThat(repos.users().findByUsername(admin.username())).contains(admin);
    assertThat(repos.users().findByUsername("nobody")).isEmpty();
    assertThat(repos.users().count()).isEqualTo(before + 2);
  }

  @Test
  void usernames_are_unique() {
    TenantId tenant = fixtures.tenant();
    String username = "dup-" + tenant.value();
    repos
        .users()
        .create(new User(UserId.random(), tenant, username, "h", Role.AUDITOR, false, START));

    assertThatThrownBy(
            () ->
                repos
                    .users()
                    .create(
                        new User(
                            UserId.random(), tenant, username, "h", Role.AUDITOR, false, START)))
        .isInstanceOf(DuplicateKeyException.class);
  }

  @Test
  void users_are_listed_by_tenant_in_username_order_up_to_the_limit() {
    TenantId tenant = fixtures.tenant();
    TenantId other = fixtures.tenant();
    User b = new User(UserId.random(), tenant, "b-" + tenant, "h", Role.OPERATOR, false, START);
    User a = new User(UserId.random(), tenant, "a-" + tenant, "h", Role.AUDITOR, false, START);
    User elsewhere =
        new User(UserId.random(), other, "a-" + other, "h", Role.OPERATOR, false, START);
    repos.users().create(b);
    repos.users().create(a);
    repos.users().create(elsewhere);

    assertThat(repos.users().list(tenant, 10)).containsExactly(a, b);
    assertThat(repos.users().list(tenant, 1)).containsExactly(a);
    assertThat(repos.users().list(null, 1000)).contains(a, b, elsewhere);
  }

  @Test
  void an_update_changes_role_disabled_and_password_hash_only() {
    TenantId tenant = fixtures.tenant();
    User user =
        new User(UserId.random(), tenant, "upd-" + tenant, "old", Role.OPERATOR, false, START);
    repos.users().create(user);
    User changed = new User(user.id(), tenant, user.username(), "new", Role.AUDITOR, true, START);

    assertThat(repos.users().update(changed)).isTrue();

    assertThat(repos.users().find(user.id())).contains(changed);
    assertThat(
            repos
                .users()
                .update(
                    new User(UserId.random(), tenant, "ghost", "h", Role.AUDITOR, false, START)))
        .isFalse();
  }
}
