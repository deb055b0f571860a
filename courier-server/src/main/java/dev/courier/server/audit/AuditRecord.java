package dev.courier.server.audit;

/**
 * An {@link AuditEntry} as stored: its place in the global order and its link in its tenant's
 * chain.
 *
 * @param prevHash the hash of the chain's previous record ({@link AuditChain#GENESIS} for the
 *     first)
 * @param hash {@link AuditChain#hash} of this record
 */
public record AuditRecord(long seq, AuditEntry entry, String prevHash, String hash) {}
