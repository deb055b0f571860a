package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.ProtocolJson;

/**
 * Builds result metadata with the protocol's shared mapper, so numbers and names match the wire.
 */
final class Json {

  private Json() {}

  static ObjectNode object() {
    return ProtocolJson.mapper().createObjectNode();
  }

  static ArrayNode array() {
    return ProtocolJson.mapper().createArrayNode();
  }

  /** A percentage rounded to one decimal, the precision a person reading a result needs. */
  static double percent(double fraction) {
    return Math.round(fraction * 1000.0) / 10.0;
  }

  /** OSHI reports "unknown" or blank for values it cannot read; those become JSON null. */
  static void putText(ObjectNode node, String field, String value) {
    if (value == null || value.isBlank() || value.equalsIgnoreCase("unknown")) {
      node.putNull(field);
    } else {
      node.put(field, value.trim());
    }
  }

  /** OSHI reports -1 or 0 for numbers it cannot read; those become JSON null. */
  static void putPositive(ObjectNode node, String field, long value) {
    if (value > 0) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }
}
