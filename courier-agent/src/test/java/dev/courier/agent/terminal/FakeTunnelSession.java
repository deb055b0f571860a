package dev.courier.agent.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.sdk.TunnelSession;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Records what a handler sends, as the SDK's session would send it to the server. */
final class FakeTunnelSession implements TunnelSession {

  record Sent(String channelId, JsonNode data, String error) {}

  private final String id;
  final List<Sent> sent = new CopyOnWriteArrayList<>();
  volatile boolean open = true;

  FakeTunnelSession(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public boolean send(String channelId, JsonNode data) {
    if (!open) {
      return false;
    }
    sent.add(new Sent(channelId, data, null));
    return true;
  }

  @Override
  public boolean error(String channelId, String error) {
    if (!open) {
      return false;
    }
    sent.add(new Sent(channelId, null, error));
    return true;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  List<JsonNode> outputs(String channelId) {
    return sent.stream()
        .filter(s -> s.channelId().equals(channelId) && s.data() != null)
        .map(Sent::data)
        .toList();
  }

  /** All stdout sent on the channel so far, concatenated. */
  String stdout(String channelId) {
    return outputs(channelId).stream()
        .map(d -> d.path("payload").path("stdout").asText())
        .collect(Collectors.joining());
  }

  List<String> errors() {
    return sent.stream().map(Sent::error).filter(e -> e != null).toList();
  }
}
