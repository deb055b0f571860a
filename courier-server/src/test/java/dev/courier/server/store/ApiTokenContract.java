package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.server.auth.ApiToken;
import dev.courier.server.auth.ApiTokenId;
import dev.courier.server.auth.Permission;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.user.Role;
import dev.courier.server.user.User;
import dev.courier.server.user.UserId;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

abstract class ApiTokenContract extends StoreContract {
  TenantId tenant;
  UserId user;

  @BeforeEach
  void newUser() {
    tenant = fixtures.tenant();
    user = user(tenant, Role.OPERATOR);
  }

  private UserId user(TenantId tenantId, Role role) {
    UserId id = UserId.random();
    repos
        .users()
        .create(new User(id, tenantId, "user-" + id.value(), "not-a-hash", role, false, START));
    return id;
  }

  private ApiToken token(UserId owner, TenantId tenantId, java.time.Instant createdAt) {
    ApiToken token =
        new ApiToken(
            ApiTokenId.random(),
            tenantId,
            owner,
            "ci",
            "hash-" + ApiTokenId.random(),
            Set.of(Permission.COMMANDS_READ, Permission.AGENTS_READ),
            createdAt,
            createdAt.plusSeconds(3600),
            null,
            null);
    repos.apiTokens().create(token);
    return token;
  }

  @Test
  void a_token_round_trips_with_its_permissions_and_is_found_by_hash_and_id() {
    ApiToken token = token(user, tenant, START);

    assertThat(repos.apiTokens().findByHash(token.tokenHash())).contains(token);
    assertThat(repos.apiTokens().find(token.id())).contains(token);
    assertThat(repos.apiTokens().findByHash("no-such-hash")).isEmpty();
  }

  @Test
  void a_system_admin_token_has_no_tenant() {
    UserId admin = user(null, Role.SYSTEM_ADMIN);
    ApiToken token = token(admin, null, START);

    assertThat(repos.apiTokens().find(token.id())).contains(token);
  }

  @Test
  void a_user_lists_only_their_own_tokens_newest_first() {
    ApiToken older = token(user, tenant, START);
    ApiToken newer = token(user, tenant, START.plusSeconds(5));
    token(user(tenant, Role.OPERATOR), tenant, START);

    assertThat(repos.apiTokens().listByUser(user)).containsExactly(newer, older);
  }

  @Test
  void revoking_stamps_the_token_once() {
    ApiToken token = token(user, tenant, START);

    assertThat(repos.apiTokens().revoke(token.id(), START.plusSeconds(1))).isTrue();
    assertThat(repos.apiTokens().revoke(token.id(), START.plusSeconds(2))).isFalse();
    assertThat(repos.apiTokens().revoke(ApiTokenId.random(), START)).isFalse();
    assertThat(repos.apiTokens().find(token.id()).orElseThrow().revokedAt())
        .isEqualTo(START.plusSeconds(1));
  }

  @Test
  void touching_records_the_last_use_and_never_moves_it_back() {
    ApiToken token = token(user, tenant, START);

    repos.apiTokens().touch(token.id(), START.plusSeconds(120));
    repos.apiTokens().touch(token.id(), START.plusSeconds(60));

    assertThat(repos.apiTokens().find(token.id()).orElseThrow().lastUsedAt())
        .isEqualTo(START.plusSeconds(120));
  }
}
