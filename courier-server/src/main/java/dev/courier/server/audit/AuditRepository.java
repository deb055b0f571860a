package dev.courier.server.audit;

import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import java.util.List;
import java.util.Optional;

/** The append-only audit log and the heads of its chains. */
public interface AuditRepository {

  /**
   * Locks the chain's head until the current transaction ends, creating it at the genesis if the
   * chain is new, so appends to one chain happen one after another.
   */
  ChainHead lockHead(String chain);

  /**
   * @return the stored record's seq
   */
  long insert(AuditEntry entry, String prevHash, String hash);

  /** Moves the (locked) head to the record just inserted and counts it. */
  void advanceHead(String chain, long seq, String hash);

  /** Newest first. */
  Page<AuditRecord> list(AuditQuery query, PageRequest page);

  /** Up to {@code limit} records of the chain after {@code afterSeq}, oldest first. */
  List<AuditRecord> chainAfter(String chain, long afterSeq, int limit);

  Optional<ChainHead> head(String chain);

  /** Every chain that has a head or a record. */
  List<String> chains();
}
