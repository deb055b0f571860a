package dev.courier.protocol.frame;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * {@code tunnel_data}, in both directions: bytes or a structured message for one channel. {@code
 * data} is itself seed 001's tagged {@code {type, payload}} object (e.g. {@code terminal} or {@code
 * terminal_output}), kept as a tree so new channel kinds need no protocol change.
 */
public record TunnelData(String channelId, JsonNode data) implements AgentFrame, ServerFrame {
  /** Requires both fields. */
  public TunnelData {
    Objects.requireNonNull(channelId, "channel_id");
    Objects.requireNonNull(data, "data");
  }
}
