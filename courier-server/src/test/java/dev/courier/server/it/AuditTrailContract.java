package dev.courier.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.user.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The audit trail through the public API: what leaves a record, who may read it, and tampering. */
abstract class AuditTrailContract extends RealServerContract {

  private static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static JsonNode records(ApiClient reader, String filters) {
    ApiClient.Response page = reader.get("/api/v1/audit?" + filters);
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    return page.json().get("records");
  }

  private void sql(String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection(server.database().jdbcUrl());
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  @Test
  void a_created_command_leaves_one_succeeded_record_naming_who_what_and_from_where() {
    TenantId tenant = server.createTenant();
    String agentId = server.enrollAgent(tenant, "audited-host").id();
    ApiClient operator = server.loginAs(tenant, Role.OPERATOR);

    ApiClient.Response created =
        operator.post("/api/v1/commands", Map.of("agent_id", agentId, "type", "echo"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);

    ApiClient auditor = server.loginAs(tenant, Role.AUDITOR);
    String target = "/api/v1/commands/" + created.text("id");
    JsonNode found = records(auditor, "target=" + query(target));
    assertThat(found).hasSize(1);
    JsonNode record = found.get(0);
    assertThat(record.get("action").asText()).isEqualTo("command.create");
    assertThat(record.get("outcome").asText()).isEqualTo("succeeded");
    assertThat(record.get("actor").asText()).startsWith("user:operator-");
    assertThat(record.get("tenant_id").asText()).isEqualTo(tenant.value());
    assertThat(record.get("source_address").asText()).isIn("127.0.0.1", "[0:0:0:0:0:0:0:1]");
    assertThat(record.get("request_id").asText()).isNotBlank();
    assertThat(record.get("details").get("status").asText()).isEqualTo("201");
    assertThat(record.get("details").get("role").asText()).isEqualTo("operator");
    assertThat(record.get("hash").asText()).hasSize(64);

    JsonNode enrolled = records(auditor, "action=agent.enroll");
    assertThat(enrolled).hasSize(1);
    assertThat(enrolled.get(0).get("actor").asText()).isEqualTo("agent:" + agentId);
    assertThat(enrolled.get(0).get("target").asText()).isEqualTo("/api/v1/agents/" + agentId);
  }

  @Test
  void a_successful_read_leaves_no_record_and_a_denied_one_does() {
    TenantId tenant = server.createTenant();
    ApiClient auditor = server.loginAs(tenant, Role.AUDITOR);
    assertThat(auditor.get("/api/v1/agents").status()).isEqualTo(200);
    assertThat(auditor.get("/api/v1/users").status()).isEqualTo(200);

    ApiClient.Response refused =
        auditor.post("/api/v1/commands", Map.of("agent_id", "whatever", "type", "echo"));
    assertThat(refused.status()).isEqualTo(403);

    // The auditor's own login is the other record.
    JsonNode all = records(auditor, "limit=100");
    assertThat(all.findValuesAsText("action")).containsExactly("command.create", "auth.login");
    assertThat(all.get(0).get("outcome").asText()).isEqualTo("denied");
    assertThat(all.get(0).get("details").get("status").asText()).isEqualTo("403");
    assertThat(all.get(0).get("details").get("field").asText()).isEqualTo("role");
  }

  @Test
  void an_unauthenticated_request_is_recorded_as_anonymous_outside_any_tenant() {
    String requestPath = "/api/v1/agents?unauthenticated=" + UUID.randomUUID();
    assertThat(server.api().get(requestPath).status()).isEqualTo(401);

    JsonNode found =
        records(server.admin(), "actor=anonymous&action=" + query("GET /api/v1/agents"));
    assertThat(found).isNotEmpty();
    assertThat(found.get(0).get("outcome").asText()).isEqualTo("denied");
    assertThat(found.get(0).path("tenant_id").isMissingNode()).isTrue();
  }

  @Test
  void a_failed_login_is_recorded_under_the_username_tried() {
    String username = "ghost-" + UUID.randomUUID();
    ApiClient.Response login =
        server.api().post("/api/v1/auth/login", Map.of("username", username, "password", "not-it"));
    assertThat(login.status()).isEqualTo(401);

    JsonNode found = records(server.admin(), "actor=" + query("user:" + username));
    assertThat(found).hasSize(1);
    assertThat(found.get(0).get("action").asText()).isEqualTo("auth.login");
    assertThat(found.get(0).get("outcome").asText()).isEqualTo("denied");
  }

  @Test
  void a_refused_change_is_recorded_as_failed_and_changes_nothing() {
    TenantId tenant = server.createTenant();
    ApiClient tenantAdmin = server.loginAs(tenant, Role.TENANT_ADMIN);

    ApiClient.Response invalid =
        tenantAdmin.post("/api/v1/users", Map.of("username", "x", "role", "no-such-role"));
    assertThat(invalid.status()).isEqualTo(400);

    JsonNode found = records(tenantAdmin, "action=user.create");
    assertThat(found).hasSize(1);
    assertThat(found.get(0).get("outcome").asText()).isEqualTo("failed");
    assertThat(found.get(0).get("details").get("status").asText()).isEqualTo("400");
  }

  @Test
  void a_change_whose_record_cannot_be_written_does_not_happen() throws SQLException {
    String name = "unaudited-" + UUID.randomUUID();
    refuseAuditRecordsOf("tenant.create");
    try {
      ApiClient.Response created = server.admin().post("/api/v1/tenants", Map.of("name", name));
      assertThat(created.status()).as(created.toString()).isEqualTo(500);
    } finally {
      allowAuditRecords();
    }

    assertThat(server.admin().get("/api/v1/tenants").body()).doesNotContain(name);
  }

  @Test
  void an_auditor_reads_only_their_own_tenants_trail() {
    TenantId ours = server.createTenant();
    TenantId theirs = server.createTenant();
    server.loginAs(theirs, Role.AUDITOR).post("/api/v1/tenants", Map.of("name", "nope"));
    ApiClient auditor = server.loginAs(ours, Role.AUDITOR);

    assertThat(records(auditor, "limit=1000").toString()).doesNotContain(theirs.value());
    ApiClient.Response foreign = auditor.get("/api/v1/audit?tenant_id=" + theirs.value());
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.text("field")).isEqualTo("tenant_id");
  }

  @Test
  void bad_filters_are_400_naming_the_field() {
    ApiClient auditor = server.loginAs(server.createTenant(), Role.AUDITOR);

    for (Map.Entry<String, String> bad :
        Map.of(
                "outcome", "outcome=maybe",
                "from", "from=yesterday",
                "cursor", "cursor=not-a-cursor",
                "limit", "limit=0")
            .entrySet()) {
      ApiClient.Response response = auditor.get("/api/v1/audit?" + bad.getValue());
      assertThat(response.status()).as(response.toString()).isEqualTo(400);
      assertThat(response.text("field")).isEqualTo(bad.getKey());
    }
  }

  @Test
  void the_verifier_names_an_edited_record_and_a_deleted_one() throws SQLException {
    TenantId tenant = server.createTenant();
    ApiClient tenantAdmin = server.loginAs(tenant, Role.TENANT_ADMIN);
    for (int i = 0; i < 4; i++) {
      ApiClient.Response token =
          tenantAdmin.post("/api/v1/enrollment-tokens", Map.of("max_uses", 1));
      assertThat(token.status()).isEqualTo(201);
    }
    ApiClient.Response intact = tenantAdmin.get("/api/v1/audit/verify");
    assertThat(intact.json().get("intact").asBoolean()).as(intact.toString()).isTrue();
    List<Long> seqs =
        records(tenantAdmin, "action=enrollment_token.create").findValues("seq").stream()
            .map(JsonNode::asLong)
            .sorted()
            .toList();
    assertThat(seqs).hasSize(4);

    sql(
        "UPDATE audit_log SET outcome = 'denied' WHERE seq = " + seqs.get(1),
        "DELETE FROM audit_log WHERE seq = " + seqs.get(2));

    ApiClient.Response verdict = tenantAdmin.get("/api/v1/audit/verify");
    assertThat(verdict.status()).isEqualTo(200);
    assertThat(verdict.json().get("intact").asBoolean()).isFalse();
    JsonNode chain = verdict.json().get("chains").get(0);
    assertThat(chain.get("tenant_id").asText()).isEqualTo(tenant.value());
    JsonNode findings = chain.get("findings");
    assertThat(findings.findValuesAsText("kind")).containsExactly("edited", "missing");
    assertThat(findings.findValues("seq"))
        .extracting(JsonNode::asLong)
        .containsExactly(seqs.get(1), seqs.get(3));
  }

  private void refuseAuditRecordsOf(String action) throws SQLException {
    if (kind() == TestDatabases.Kind.SQLITE) {
      sql(
          "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log WHEN NEW.action = '"
              + action
              + "' BEGIN SELECT RAISE(ABORT, 'audit storage refused'); END");
    } else {
      sql(
          "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS"
              + " $$ BEGIN RAISE EXCEPTION 'audit storage refused'; END $$",
          "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.action = '"
              + action
              + "') EXECUTE FUNCTION refuse_audit()");
    }
  }

  private void allowAuditRecords() throws SQLException {
    if (kind() == TestDatabases.Kind.SQLITE) {
      sql("DROP TRIGGER refuse_audit");
    } else {
      sql("DROP TRIGGER refuse_audit ON audit_log", "DROP FUNCTION refuse_audit()");
    }
  }
}
