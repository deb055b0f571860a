package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.server.audit.AuditChain;
import dev.courier.server.audit.AuditEntry;
import dev.courier.server.audit.AuditFinding;
import dev.courier.server.audit.AuditOutcome;
import dev.courier.server.audit.AuditQuery;
import dev.courier.server.audit.AuditRecord;
import dev.courier.server.audit.AuditTrail;
import dev.courier.server.audit.AuditVerifier;
import dev.courier.server.audit.ChainVerification;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.tenant.TenantId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

abstract class AuditLogContract extends StoreContract {

  private AuditTrail trail;
  private AuditVerifier verifier;

  @BeforeEach
  void trail() {
    trail = new AuditTrail(db.transactions(), repos.audit());
    verifier = new AuditVerifier(repos.audit());
  }

  private AuditRecord append(TenantId tenant, String actor, AuditOutcome outcome) {
    return trail.append(
        new AuditEntry(
            clock.instant(),
            tenant,
            actor,
            "command.create",
            "/api/v1/commands/c1",
            outcome,
            "127.0.0.1",
            "req-" + actor,
            Map.of("status", outcome == AuditOutcome.SUCCEEDED ? "201" : "403", "path", "/x")));
  }

  private List<AuditRecord> appendMany(TenantId tenant, int count) {
    List<AuditRecord> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(append(tenant, "user:u" + i, AuditOutcome.SUCCEEDED));
    }
    return records;
  }

  /** What someone with write access to the database, and no business there, does. */
  private void tamper(String sql, long seq) throws SQLException {
    try (Connection connection = DriverManager.getConnection(db.jdbcUrl());
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, seq);
      assertThat(statement.executeUpdate()).isEqualTo(1);
    }
  }

  @Test
  void each_tenant_gets_its_own_chain_linked_from_the_genesis() {
    TenantId a = fixtures.tenant();
    TenantId b = fixtures.tenant();

    AuditRecord a1 = append(a, "user:alice", AuditOutcome.SUCCEEDED);
    AuditRecord b1 = append(b, "user:bob", AuditOutcome.SUCCEEDED);
    AuditRecord a2 = append(a, "user:alice", AuditOutcome.DENIED);

    assertThat(a1.prevHash()).isEqualTo(AuditChain.GENESIS);
    assertThat(b1.prevHash()).isEqualTo(AuditChain.GENESIS);
    assertThat(a2.prevHash()).isEqualTo(a1.hash());
    assertThat(verifier.verify(a.value()).intact()).isTrue();
    assertThat(verifier.verify(a.value()).records()).isEqualTo(2);
    assertThat(verifier.verify(b.value()).records()).isEqualTo(1);
  }

  @Test
  void stored_records_read_back_with_every_field_and_a_matching_hash() {
    TenantId tenant = fixtures.tenant();
    AuditRecord written = append(tenant, "user:carol", AuditOutcome.FAILED);

    AuditRecord read =
        repos
            .audit()
            .list(AuditQuery.any().withTenant(tenant), PageRequest.first(10))
            .items()
            .getFirst();

    assertThat(read).isEqualTo(written);
    assertThat(AuditChain.hash(read.prevHash(), read.entry())).isEqualTo(read.hash());
  }

  @Test
  void records_without_a_tenant_chain_together() {
    long before = verifier.verify(AuditChain.NO_TENANT_CHAIN).records();
    append(null, "anonymous", AuditOutcome.DENIED);
    append(null, "anonymous", AuditOutcome.DENIED);

    ChainVerification chain = verifier.verify(AuditChain.NO_TENANT_CHAIN);
    assertThat(chain.intact()).isTrue();
    assertThat(chain.records()).isEqualTo(before + 2);
  }

  @Test
  void an_edited_record_is_named_by_the_verifier() throws SQLException {
    TenantId tenant = fixtures.tenant();
    List<AuditRecord> records = appendMany(tenant, 4);
    long edited = records.get(1).seq();

    tamper("UPDATE audit_log SET actor = 'user:mallory' WHERE seq = ?", edited);

    ChainVerification chain = verifier.verify(tenant.value());
    assertThat(chain.intact()).isFalse();
    assertThat(chain.findings())
        .singleElement()
        .satisfies(
            finding -> {
              assertThat(finding.kind()).isEqualTo(AuditFinding.Kind.EDITED);
              assertThat(finding.seq()).isEqualTo(edited);
              assertThat(finding.message()).contains(Long.toString(edited));
            });
  }

  @Test
  void a_record_edited_along_with_its_hash_breaks_the_link_of_the_next() throws SQLException {
    TenantId tenant = fixtures.tenant();
    List<AuditRecord> records = appendMany(tenant, 3);

    tamper(
        "UPDATE audit_log SET hash = '" + "f".repeat(64) + "' WHERE seq = ?", records.get(1).seq());

    assertThat(verifier.verify(tenant.value()).findings())
        .extracting(AuditFinding::kind, AuditFinding::seq)
        .contains(
            org.assertj.core.groups.Tuple.tuple(AuditFinding.Kind.EDITED, records.get(1).seq()),
            org.assertj.core.groups.Tuple.tuple(AuditFinding.Kind.MISSING, records.get(2).seq()));
  }

  @Test
  void a_deleted_record_is_named_by_the_record_after_it() throws SQLException {
    TenantId tenant = fixtures.tenant();
    List<AuditRecord> records = appendMany(tenant, 4);

    tamper("DELETE FROM audit_log WHERE seq = ?", records.get(2).seq());

    assertThat(verifier.verify(tenant.value()).findings())
        .singleElement()
        .satisfies(
            finding -> {
              assertThat(finding.kind()).isEqualTo(AuditFinding.Kind.MISSING);
              assertThat(finding.seq()).isEqualTo(records.get(3).seq());
              assertThat(finding.message()).contains(Long.toString(records.get(1).seq()));
            });
  }

  @Test
  void deleting_the_newest_records_is_caught_by_the_chain_head() throws SQLException {
    TenantId tenant = fixtures.tenant();
    List<AuditRecord> records = appendMany(tenant, 3);

    tamper("DELETE FROM audit_log WHERE seq = ?", records.get(2).seq());

    assertThat(verifier.verify(tenant.value()).findings())
        .singleElement()
        .satisfies(
            finding -> {
              assertThat(finding.kind()).isEqualTo(AuditFinding.Kind.TRUNCATED);
              assertThat(finding.seq()).isEqualTo(records.get(1).seq());
            });
  }

  @Test
  void a_record_appended_in_a_rolled_back_transaction_leaves_the_chain_intact() {
    TenantId tenant = fixtures.tenant();
    append(tenant, "user:alice", AuditOutcome.SUCCEEDED);

    assertThatThrownBy(
            () ->
                db.transactions()
                    .inTransaction(
                        () -> {
                          append(tenant, "user:alice", AuditOutcome.SUCCEEDED);
                          throw new IllegalStateException("the change failed");
                        }))
        .hasMessage("the change failed");
    append(tenant, "user:alice", AuditOutcome.SUCCEEDED);

    ChainVerification chain = verifier.verify(tenant.value());
    assertThat(chain.intact()).isTrue();
    assertThat(chain.records()).isEqualTo(2);
  }

  @Test
  void concurrent_appends_to_one_chain_never_fork_it() throws Exception {
    TenantId tenant = fixtures.tenant();

    race(
        8,
        () -> {
          for (int i = 0; i < 10; i++) {
            append(tenant, "user:racer", AuditOutcome.SUCCEEDED);
          }
          return null;
        });

    ChainVerification chain = verifier.verify(tenant.value());
    assertThat(chain.findings()).isEmpty();
    assertThat(chain.records()).isEqualTo(80);
  }

  @Test
  void the_list_filters_and_pages_newest_first() {
    TenantId tenant = fixtures.tenant();
    appendMany(tenant, 5);
    AuditRecord denied = append(tenant, "user:eve", AuditOutcome.DENIED);

    Page<AuditRecord> deniedOnly =
        repos
            .audit()
            .list(
                new AuditQuery(tenant, null, null, AuditOutcome.DENIED, null, null, null, null),
                PageRequest.first(10));
    assertThat(deniedOnly.items()).containsExactly(denied);

    Page<AuditRecord> byActor =
        repos
            .audit()
            .list(
                new AuditQuery(tenant, "user:u3", null, null, null, null, null, null),
                PageRequest.first(10));
    assertThat(byActor.items()).extracting(r -> r.entry().actor()).containsExactly("user:u3");

    Page<AuditRecord> first =
        repos.audit().list(AuditQuery.any().withTenant(tenant), PageRequest.first(4));
    assertThat(first.items()).hasSize(4);
    assertThat(first.items().getFirst()).isEqualTo(denied);
    Page<AuditRecord> second =
        repos
            .audit()
            .list(
                AuditQuery.any().withTenant(tenant),
                new PageRequest(first.nextCursor().orElseThrow(), 4));
    assertThat(second.items()).hasSize(2);
    assertThat(second.nextCursor()).isEmpty();
    assertThat(second.items().getFirst().seq()).isLessThan(first.items().getLast().seq());
  }
}
