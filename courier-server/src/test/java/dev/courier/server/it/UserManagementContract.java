package dev.courier.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.user.Role;
import dev.courier.server.user.UserId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tenants and users through the public API: who may create whom, and where. */
abstract class UserManagementContract extends RealServerContract {

  private static final String PASSWORD = "a-long-enough-password";

  @Test
  void a_system_admin_creates_a_tenant_whose_admin_creates_an_operator_and_an_auditor_who_log_in() {
    ApiClient.Response tenant =
        server.admin().post("/api/v1/tenants", Map.of("name", unique("acme")));
    assertThat(tenant.status()).as(tenant.toString()).isEqualTo(201);
    String tenantId = tenant.text("id");
    assertThat(tenant.text("name")).startsWith("acme-");

    ApiClient tenantAdmin = createAndLogIn(server.admin(), "tenant_admin", tenantId);
    for (String role : List.of("operator", "auditor")) {
      String username = unique(role);
      ApiClient.Response created =
          tenantAdmin.post(
              "/api/v1/users", Map.of("username", username, "role", role, "password", PASSWORD));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      assertThat(created.text("tenant_id")).isEqualTo(tenantId);
      assertThat(created.text("role")).isEqualTo(role);
      assertThat(created.json().has("password")).isFalse();
      assertThat(created.body()).doesNotContain("argon2").doesNotContain("hash");
      assertThat(login(username, PASSWORD).status()).isEqualTo(200);
    }
  }

  @Test
  void a_duplicate_tenant_name_is_409_naming_name() {
    String name = unique("dup");
    assertThat(server.admin().post("/api/v1/tenants", Map.of("name", name)).status())
        .isEqualTo(201);

    ApiClient.Response again = server.admin().post("/api/v1/tenants", Map.of("name", name));

    assertThat(again.status()).as(again.toString()).isEqualTo(409);
    assertThat(again.text("field")).isEqualTo("name");
  }

  @Test
  void a_tenant_admin_cannot_create_a_system_admin_or_a_user_in_another_tenant() {
    ApiClient tenantAdmin = server.loginAs(server.createTenant(), Role.TENANT_ADMIN);

    ApiClient.Response systemAdmin =
        tenantAdmin.post(
            "/api/v1/users",
            Map.of("username", unique("root"), "role", "system_admin", "password", PASSWORD));
    ApiClient.Response elsewhere =
        tenantAdmin.post(
            "/api/v1/users",
            Map.of(
                "username",
                unique("x"),
                "role",
                "operator",
                "password",
                PASSWORD,
                "tenant_id",
                server.createTenant().value()));

    assertThat(systemAdmin.status()).as(systemAdmin.toString()).isEqualTo(403);
    assertThat(systemAdmin.text("field")).isEqualTo("role");
    assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(403);
    assertThat(elsewhere.text("field")).isEqualTo("tenant_id");
  }

  @Test
  void operators_and_auditors_cannot_create_users_or_tenants() {
    for (Role role : List.of(Role.OPERATOR, Role.AUDITOR)) {
      ApiClient client = server.loginAs(server.createTenant(), role);
      for (ApiClient.Response refused :
          List.of(
              client.post(
                  "/api/v1/users",
                  Map.of("username", unique("u"), "role", "auditor", "password", PASSWORD)),
              client.post("/api/v1/tenants", Map.of("name", unique("t"))))) {
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.text("field")).isEqualTo("role");
      }
    }
  }

  @Test
  void a_duplicate_username_is_409_and_a_short_password_400() {
    String username = unique("same");
    Map<String, Object> body = Map.of("username", username, "role", "operator");
    assertThat(server.admin().post("/api/v1/users", body).status()).isEqualTo(201);

    ApiClient.Response again = server.admin().post("/api/v1/users", body);
    ApiClient.Response weak =
        server
            .admin()
            .post(
                "/api/v1/users",
                Map.of("username", unique("weak"), "role", "operator", "password", "short"));

    assertThat(again.status()).as(again.toString()).isEqualTo(409);
    assertThat(again.text("field")).isEqualTo("username");
    assertThat(weak.status()).as(weak.toString()).isEqualTo(400);
    assertThat(weak.text("field")).isEqualTo("password");
  }

  @Test
  void a_generated_password_is_shown_once_and_works() {
    String username = unique("gen");
    ApiClient.Response created =
        server.admin().post("/api/v1/users", Map.of("username", username, "role", "auditor"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String password = created.text("password");
    assertThat(password).hasSizeGreaterThanOrEqualTo(12);

    assertThat(login(username, password).status()).isEqualTo(200);
    ApiClient.Response read = server.admin().get("/api/v1/users/" + created.text("id"));
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().has("password")).isFalse();
    assertThat(read.body()).doesNotContain(password);
  }

  @Test
  void a_disabled_user_cannot_log_in_and_their_access_token_stops_working() {
    String tenantId = server.createTenant().value();
    ApiClient tenantAdmin = createAndLogIn(server.admin(), "tenant_admin", tenantId);
    String username = unique("leaver");
    ApiClient.Response created =
        tenantAdmin.post(
            "/api/v1/users", Map.of("username", username, "role", "auditor", "password", PASSWORD));
    ApiClient leaver = server.api().as(login(username, PASSWORD).text("access_token"));
    assertThat(leaver.get("/api/v1/users").status()).isEqualTo(200);

    ApiClient.Response disabled = tenantAdmin.delete("/api/v1/users/" + created.text("id"));

    assertThat(disabled.status()).as(disabled.toString()).isEqualTo(204);
    assertThat(login(username, PASSWORD).status()).isEqualTo(401);
    assertThat(leaver.get("/api/v1/users").status()).isEqualTo(401);
    ApiClient.Response read = tenantAdmin.get("/api/v1/users/" + created.text("id"));
    assertThat(read.json().path("disabled").asBoolean()).isTrue();

    ApiClient.Response enabled =
        tenantAdmin.patch("/api/v1/users/" + created.text("id"), Map.of("disabled", false));
    assertThat(enabled.status()).as(enabled.toString()).isEqualTo(200);
    assertThat(login(username, PASSWORD).status()).isEqualTo(200);
  }

  @Test
  void nobody_changes_their_own_role_or_disables_themselves() {
    String tenantId = server.createTenant().value();
    String username = unique("self");
    ApiClient.Response created =
        server
            .admin()
            .post(
                "/api/v1/users",
                Map.of(
                    "username",
                    username,
                    "role",
                    "tenant_admin",
                    "password",
                    PASSWORD,
                    "tenant_id",
                    tenantId));
    ApiClient self = server.api().as(login(username, PASSWORD).text("access_token"));
    String path = "/api/v1/users/" + created.text("id");

    ApiClient.Response demote = self.patch(path, Map.of("role", "auditor"));
    ApiClient.Response disable = self.patch(path, Map.of("disabled", true));
    ApiClient.Response delete = self.delete(path);

    assertThat(demote.status()).as(demote.toString()).isEqualTo(409);
    assertThat(demote.text("field")).isEqualTo("role");
    assertThat(disable.status()).as(disable.toString()).isEqualTo(409);
    assertThat(disable.text("field")).isEqualTo("disabled");
    assertThat(delete.status()).as(delete.toString()).isEqualTo(409);
    assertThat(self.patch(path, Map.of("password", "a-brand-new-password")).status())
        .isEqualTo(200);
    assertThat(login(username, "a-brand-new-password").status()).isEqualTo(200);
  }

  @Test
  void listing_users_and_tenants_is_confined_to_the_callers_tenant() {
    String mine = server.createTenant().value();
    String theirs = server.createTenant().value();
    ApiClient myAdmin = createAndLogIn(server.admin(), "tenant_admin", mine);
    ApiClient theirAdmin = createAndLogIn(server.admin(), "tenant_admin", theirs);
    String theirUser =
        theirAdmin
            .post("/api/v1/users", Map.of("username", unique("them"), "role", "operator"))
            .text("id");

    JsonNode users = myAdmin.get("/api/v1/users").json().path("users");
    List<String> tenants = new ArrayList<>();
    users.forEach(user -> tenants.add(user.path("tenant_id").asText()));

    assertThat(tenants).isNotEmpty().containsOnly(mine);
    assertThat(myAdmin.get("/api/v1/users/" + theirUser).status()).isEqualTo(404);
    assertThat(myAdmin.patch("/api/v1/users/" + theirUser, Map.of("disabled", true)).status())
        .isEqualTo(404);
    assertThat(myAdmin.delete("/api/v1/users/" + theirUser).status()).isEqualTo(404);
    assertThat(myAdmin.get("/api/v1/users?tenant_id=" + theirs).status()).isEqualTo(403);
    JsonNode visibleTenants = myAdmin.get("/api/v1/tenants").json().path("tenants");
    assertThat(visibleTenants).hasSize(1);
    assertThat(visibleTenants.get(0).path("id").asText()).isEqualTo(mine);
    assertThat(server.admin().get("/api/v1/tenants").json().path("tenants").size())
        .isGreaterThanOrEqualTo(3);
    assertThat(server.admin().get("/api/v1/users?tenant_id=" + theirs).body())
        .contains(theirUser)
        .doesNotContain(mine);
  }

  private ApiClient createAndLogIn(ApiClient creator, String role, String tenantId) {
    String username = unique(role);
    ApiClient.Response created =
        creator.post(
            "/api/v1/users",
            Map.of(
                "username", username, "role", role, "password", PASSWORD, "tenant_id", tenantId));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    ApiClient.Response login = login(username, PASSWORD);
    assertThat(login.status()).as(login.toString()).isEqualTo(200);
    return server.api().as(login.text("access_token"));
  }

  private ApiClient.Response login(String username, String password) {
    return server
        .api()
        .post("/api/v1/auth/login", Map.of("username", username, "password", password));
  }

  private static String unique(String prefix) {
    return prefix + "-" + UserId.random().value();
  }
}
