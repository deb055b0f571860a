package dev.courier.protocol.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.ProtocolJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Canonical JSON for signing: object keys sorted (by UTF-16 code unit order, {@link
 * String#compareTo}) at every depth, array order kept, no insignificant whitespace, numbers and
 * strings as Jackson writes them. Two documents that differ only in key order or whitespace get the
 * same bytes.
 */
public final class CanonicalJson {

  private CanonicalJson() {}

  /** A fresh empty JSON object. */
  public static ObjectNode emptyObject() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** The canonical text of a JSON value. */
  public static String write(JsonNode node) {
    try {
      return ProtocolJson.mapper().writeValueAsString(sorted(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** Lower-case hex SHA-256 of the UTF-8 canonical text. */
  public static String sha256Hex(JsonNode node) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(write(node).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
      fields.sort(Map.Entry.comparingByKey());
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      fields.forEach(e -> out.set(e.getKey(), sorted(e.getValue())));
      return out;
    }
    if (node.isArray()) {
      var out = JsonNodeFactory.instance.arrayNode();
      node.forEach(child -> out.add(sorted(child)));
      return out;
    }
    return node;
  }
}
