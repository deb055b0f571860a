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
}
