package dev.courier.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.server.tenant.TenantId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditChainTest {

  private static final Instant AT = Instant.parse("2026-11-23T10:15:30.123Z");
  private static final TenantId TENANT = TenantId.of("t-acme");

  private static AuditEntry entry(String actor, Map<String, String> details) {
    return new AuditEntry(
        AT,
        TENANT,
        actor,
        "command.create",
        "/api/v1/commands/c1",
        AuditOutcome.SUCCEEDED,
        "127.0.0.1",
        "req-1",
        details);
  }

  @Test
  void the_same_record_after_the_same_hash_always_hashes_alike() {
    AuditEntry entry = entry("user:alice", Map.of("status", "201"));

    assertThat(AuditChain.hash(AuditChain.GENESIS, entry))
        .isEqualTo(AuditChain.hash(AuditChain.GENESIS, entry))
        .hasSize(64)
        .matches("[0-9a-f]+");
  }

  @Test
  void the_hash_depends_on_the_previous_hash() {
    AuditEntry entry = entry("user:alice", Map.of());

    assertThat(AuditChain.hash(AuditChain.GENESIS, entry))
        .isNotEqualTo(AuditChain.hash("1".repeat(64), entry));
  }

  @Test
  void changing_any_field_changes_the_hash() {
    AuditEntry original = entry("user:alice", Map.of("status", "201"));
    String hash = AuditChain.hash(AuditChain.GENESIS, original);

    AuditEntry[] edits = {
      new AuditEntry(
          AT.plusMillis(1),
          TENANT,
          "user:alice",
          "command.create",
          "/api/v1/commands/c1",
          AuditOutcome.SUCCEEDED,
          "127.0.0.1",
          "req-1",
          Map.of("status", "201")),
      new AuditEntry(
          AT,
          null,
          "user:alice",
          "command.create",
          "/api/v1/commands/c1",
          AuditOutcome.SUCCEEDED,
          "127.0.0.1",
          "req-1",
          Map.of("status", "201")),
      entry("user:mallory", Map.of("status", "201")),
      new AuditEntry(
          AT,
          TENANT,
          "user:alice",
          "command.cancel",
          "/api/v1/commands/c1",
          AuditOutcome.SUCCEEDED,
          "127.0.0.1",
          "req-1",
          Map.of("status", "201")),
      new AuditEntry(
          AT,
          TENANT,
          "user:alice",
          "command.create",
          "/api/v1/commands/c2",
          AuditOutcome.SUCCEEDED,
          "127.0.0.1",
          "req-1",
          Map.of("status", "201")),
      new AuditEntry(
          AT,
          TENANT,
          "user:alice",
          "command.create",
          "/api/v1/commands/c1",
          AuditOutcome.DENIED,
          "127.0.0.1",
          "req-1",
          Map.of("status", "201")),
      new AuditEntry(
          AT,
          TENANT,
          "user:alice",
          "command.create",
          "/api/v1/commands/c1",
          AuditOutcome.SUCCEEDED,
          "10.0.0.9",
          "req-1",
          Map.of("status", "201")),
      new AuditEntry(
          AT,
          TENANT,
          "user:alice",
          "command.create",
          "/api/v1/commands/c1",
          AuditOutcome.SUCCEEDED,
          "127.0.0.1",
          "req-2",
          Map.of("status", "201")),
      entry("user:alice", Map.of("status", "200")),
    };
    for (AuditEntry edit : edits) {
      assertThat(AuditChain.hash(AuditChain.GENESIS, edit)).as(edit.toString()).isNotEqualTo(hash);
    }
  }

  @Test
  void field_boundaries_cannot_be_shifted_to_forge_the_same_hash() {
    AuditEntry a = entry("user:al", Map.of("k", "ice"));
    AuditEntry b = entry("user:ali", Map.of("k", "ce"));

    assertThat(AuditChain.hash(AuditChain.GENESIS, a))
        .isNotEqualTo(AuditChain.hash(AuditChain.GENESIS, b));
  }

  @Test
  void detail_order_and_sub_millisecond_time_do_not_matter_as_the_database_keeps_neither() {
    Map<String, String> forward = new LinkedHashMap<>();
    forward.put("a", "1");
    forward.put("b", "2");
    Map<String, String> backward = new LinkedHashMap<>();
    backward.put("b", "2");
    backward.put("a", "1");
    AuditEntry first = entry("user:alice", forward);
    AuditEntry second =
        new AuditEntry(
            AT.plusNanos(456_789),
            TENANT,
            "user:alice",
            "command.create",
            "/api/v1/commands/c1",
            AuditOutcome.SUCCEEDED,
            "127.0.0.1",
            "req-1",
            backward);

    assertThat(AuditChain.hash(AuditChain.GENESIS, first))
        .isEqualTo(AuditChain.hash(AuditChain.GENESIS, second));
  }

  @Test
  void records_without_a_tenant_form_their_own_chain() {
    AuditEntry noTenant =
        new AuditEntry(
            AT, null, "anonymous", "auth.login", null, AuditOutcome.DENIED, null, null, Map.of());

    assertThat(AuditChain.chainOf(noTenant)).isEqualTo(AuditChain.NO_TENANT_CHAIN);
    assertThat(AuditChain.chainOf(entry("user:alice", Map.of()))).isEqualTo("t-acme");
  }
}
