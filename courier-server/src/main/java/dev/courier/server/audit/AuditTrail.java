package dev.courier.server.audit;

import dev.courier.server.auth.Operator;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.common.Transactions;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.tenant.TenantId;
import java.util.List;

/**
 * Appends to and reads the audit trail. An append joins the caller's transaction, so the record
 * commits with the change it describes or not at all; it takes no savepoint there, since every
 * caller lets a failed append fail the change with it.
 */
public final class AuditTrail {

  private final Transactions transactions;
  private final AuditRepository records;
  private final AuditVerifier verifier;

  public AuditTrail(Transactions transactions, AuditRepository records) {
    this.transactions = transactions;
    this.records = records;
    this.verifier = new AuditVerifier(records);
  }

  public AuditRecord append(AuditEntry entry) {
    return transactions.joining(
        () -> {
          String chain = AuditChain.chainOf(entry);
          ChainHead head = records.lockHead(chain);
          String hash = AuditChain.hash(head.lastHash(), entry);
          long seq = records.insert(entry, head.lastHash(), hash);
          records.advanceHead(chain, seq, hash);
          return new AuditRecord(seq, entry, head.lastHash(), hash);
        });
  }

  /**
   * The records the operator may read, newest first: their tenant's, or for a system admin every
   * tenant's (or the one asked for).
   */
  public Page<AuditRecord> list(Operator operator, AuditQuery query, PageRequest page) {
    return records.list(scoped(operator, query), page);
  }

  /** Verifies the operator's tenant's chain, or for a system admin every chain. */
  public AuditVerification verify(Operator operator) {
    return operator
        .tenantScope()
        .map(tenant -> new AuditVerification(List.of(verifier.verify(tenant.value()))))
        .orElseGet(verifier::verifyAll);
  }

  private static AuditQuery scoped(Operator operator, AuditQuery query) {
    if (operator.tenantScope().isEmpty()) {
      return query;
    }
    TenantId own = operator.tenantScope().get();
    if (query.tenantId() != null && !query.tenantId().equals(own)) {
      throw new ForbiddenException("you may only read your own tenant's audit trail", "tenant_id");
    }
    return query.withTenant(own);
  }
}
