package dev.courier.server.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Walks chains oldest first and says which record was edited or removed. It recomputes every
 * record's hash from its stored fields, follows each record's link to the one before, and compares
 * the end of the walk with the chain's head.
 */
public final class AuditVerifier {

  static final int BATCH = 1000;

  private final AuditRepository records;

  public AuditVerifier(AuditRepository records) {
    this.records = records;
  }

  /** Every chain in the log. */
  public AuditVerification verifyAll() {
    return new AuditVerification(records.chains().stream().map(this::verify).toList());
  }

  /** One chain: a tenant id, or {@link AuditChain#NO_TENANT_CHAIN}. */
  public ChainVerification verify(String chain) {
    List<AuditFinding> findings = new ArrayList<>();
    String expectedPrev = AuditChain.GENESIS;
    long lastSeq = 0;
    long count = 0;
    List<AuditRecord> batch;
    do {
      batch = records.chainAfter(chain, lastSeq, BATCH);
      for (AuditRecord record : batch) {
        count++;
        if (!record.prevHash().equals(expectedPrev)) {
          findings.add(
              new AuditFinding(
                  AuditFinding.Kind.MISSING,
                  record.seq(),
                  "record "
                      + record.seq()
                      + " links to a record that is not there: one or more records "
                      + (lastSeq == 0 ? "before it" : "between " + lastSeq + " and it")
                      + " were deleted (or rewritten along with their hashes)"));
        }
        if (!AuditChain.hash(record.prevHash(), record.entry()).equals(record.hash())) {
          findings.add(
              new AuditFinding(
                  AuditFinding.Kind.EDITED,
                  record.seq(),
                  "record " + record.seq() + " no longer matches its hash: a field was edited"));
        }
        expectedPrev = record.hash();
        lastSeq = record.seq();
      }
    } while (batch.size() == BATCH);
    checkHead(chain, lastSeq, expectedPrev, count, findings);
    return new ChainVerification(chain, count, findings);
  }

  private void checkHead(
      String chain, long lastSeq, String lastHash, long count, List<AuditFinding> findings) {
    Optional<ChainHead> head = records.head(chain);
    if (head.isEmpty()) {
      if (count > 0) {
        findings.add(
            new AuditFinding(
                AuditFinding.Kind.TRUNCATED,
                lastSeq,
                "the chain has records but no head: the head row was deleted"));
      }
      return;
    }
    ChainHead end = head.get();
    if (end.lastSeq() != lastSeq || !end.lastHash().equals(lastHash)) {
      findings.add(
          new AuditFinding(
              AuditFinding.Kind.TRUNCATED,
              lastSeq,
              "the chain ends at record "
                  + lastSeq
                  + " but its head says "
                  + end.lastSeq()
                  + ": the newest records were deleted"));
    } else if (end.records() != count && findings.isEmpty()) {
      findings.add(
          new AuditFinding(
              AuditFinding.Kind.MISSING,
              lastSeq,
              "the chain holds "
                  + count
                  + " records but "
                  + end.records()
                  + " were appended: records were deleted"));
    }
  }
}
