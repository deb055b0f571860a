package dev.courier.server.audit;

import java.util.List;

/** The verdict on every chain checked. */
public record AuditVerification(List<ChainVerification> chains) {
  public AuditVerification {
    chains = List.copyOf(chains);
  }

  public boolean intact() {
    return chains.stream().allMatch(ChainVerification::intact);
  }
}
