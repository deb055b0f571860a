package dev.courier.server.tunnel;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The {@code tunnel_data} the server sends an agent: {@code {"type": ..., "payload": {...}}}. */
final class TunnelMessages {

  private TunnelMessages() {}

  /** A message of the type with an empty payload for the caller to fill. */
  static ObjectNode message(String type) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("type", type);
    data.putObject("payload");
    return data;
  }

  static ObjectNode payload(ObjectNode message) {
    return (ObjectNode) message.get("payload");
  }
}
