package dev.courier.server.audit;

/**
 * The end of one tenant's chain as the appends left it.
 *
 * @param chain the tenant id, or {@link AuditChain#NO_TENANT_CHAIN}
 * @param lastSeq the newest record's seq, 0 before the first
 * @param lastHash the newest record's hash, {@link AuditChain#GENESIS} before the first
 * @param records how many records were appended to the chain
 */
public record ChainHead(String chain, long lastSeq, String lastHash, long records) {}
