package dev.courier.server.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.envelope.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain rule: each record's hash is SHA-256 over the previous record's hash and the
 * record's canonical form, so changing any stored field changes the record's hash, and removing a
 * record leaves its successor pointing at a hash that is no longer there.
 */
public final class AuditChain {

  /** What the first record of every chain points back to. */
  public static final String GENESIS = "0".repeat(64);

  /** Names the chain of records without a tenant. */
  public static final String NO_TENANT_CHAIN = "";

  /** Bumped if the canonical form ever changes, so old records keep verifying. */
  private static final String FORM = "courier-audit-v1";

  private AuditChain() {}

  /** The chain a record belongs to: its tenant's, or the one of acts outside any tenant. */
  public static String chainOf(AuditEntry entry) {
    return entry.tenantId() == null ? NO_TENANT_CHAIN : entry.tenantId().value();
  }

  /** Lower-case hex SHA-256 linking {@code entry} to the record before it. */
  public static String hash(String prevHash, AuditEntry entry) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(prevHash.getBytes(StandardCharsets.US_ASCII));
      digest.update((byte) '\n');
      digest.update(canonical(entry).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }

  /** A JSON array in fixed field order: JSON escaping keeps field boundaries unambiguous. */
  static String canonical(AuditEntry entry) {
    ArrayNode fields = JsonNodeFactory.instance.arrayNode();
    fields.add(FORM);
    fields.add(entry.occurredAt().toEpochMilli());
    fields.add(entry.tenantId() == null ? null : entry.tenantId().value());
    fields.add(entry.actor());
    fields.add(entry.action());
    fields.add(entry.target());
    fields.add(entry.outcome().wireName());
    fields.add(entry.sourceAddress());
    fields.add(entry.requestId());
    ObjectNode details = fields.addObject();
    entry.details().forEach(details::put);
    return CanonicalJson.write(fields);
  }
}
