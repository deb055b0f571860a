package dev.courier.server.audit;

import java.util.List;

/**
 * The verdict on one chain.
 *
 * @param chain the tenant id, or {@link AuditChain#NO_TENANT_CHAIN}
 * @param records how many records were checked
 */
public record ChainVerification(String chain, long records, List<AuditFinding> findings) {
  public ChainVerification {
    findings = List.copyOf(findings);
  }

  public boolean intact() {
    return findings.isEmpty();
  }
}
