package dev.courier.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.OutputStreamName;
import dev.courier.protocol.Priority;
import dev.courier.protocol.ProtocolJson;
import dev.courier.protocol.envelope.SignedEnvelope;
import dev.courier.protocol.frame.AgentFrame.Auth;
import dev.courier.protocol.frame.AgentFrame.CommandOutput;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import dev.courier.protocol.frame.AgentFrame.CommandStatusReport;
import dev.courier.protocol.frame.AgentFrame.Heartbeat;
import dev.courier.protocol.frame.FrameDecodeException.Kind;
import dev.courier.protocol.frame.ServerFrame.Ack;
import dev.courier.protocol.frame.ServerFrame.CommandDelivery;
import dev.courier.protocol.frame.ServerFrame.ErrorFrame;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecTest {

  private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
  private static final CommandId CMD = CommandId.of("cmd-1");
  private final FrameCodec codec = new FrameCodec();

  static ObjectNode obj(String json) {
    try {
      return (ObjectNode) ProtocolJson.mapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Stream<AgentFrame> agentFrames() {
    return Stream.of(
        new Auth(AgentId.of("a-1"), "key", "1.0.0", List.of("echo")),
        new Heartbeat("1.0.0", "host-1", 42L, List.of("echo", "scan"), 1),
        new AgentFrame.Metrics(obj("{\"cpu\":0.5,\"mem\":{\"used\":1}}")),
        new AgentFrame.NetworkState(obj("{\"interfaces\":[]}")),
        new CommandStatusReport(CMD, CommandStatus.ACCEPTED, T),
        new CommandOutput(CMD, 3, OutputStreamName.STDERR, "oops\n"),
        new CommandResult(
            CMD,
            CommandStatus.COMPLETED,
            T,
            1200L,
            0,
            "ok",
            2,
            null,
            obj("{\"k\":\"v\"}"),
            "hello"),
        new AgentFrame.WatchdogEvent(obj("{\"service\":\"nginx\",\"event\":\"restarted\"}")),
        new AgentFrame.UpdateResult(obj("{\"success\":true}")),
        new AgentFrame.TunnelReady("s-1"),
        new TunnelData(
            "terminal-1", obj("{\"type\":\"terminal\",\"payload\":{\"command\":\"ls\"}}")),
        new AgentFrame.TunnelError("terminal-1", "denied"));
  }

  static Stream<ServerFrame> serverFrames() {
    SignedEnvelope envelope =
        new SignedEnvelope(
            CMD,
            AgentId.of("a-1"),
            "echo",
            obj("{\"message\":\"hi\"}"),
            Priority.HIGH,
            30,
            T,
            T.plusSeconds(3600),
            "c2ln");
    return Stream.of(
        new ServerFrame.AuthAck(AgentId.of("a-1"), T, 30),
        new CommandDelivery(envelope),
        new ServerFrame.Cancel(CMD, "operator asked"),
        new ServerFrame.CommandAvailable(),
        new ServerFrame.ConfigUpdate(obj("{\"poll_interval\":10}")),
        new ServerFrame.Update(obj("{\"target_version\":\"2.0\"}")),
        new Ack("command_status", CMD, CommandStatus.ACCEPTED),
        new ErrorFrame(ErrorFrame.CONFLICT, "already accepted", "command_status", CMD),
        new ServerFrame.TunnelOpen("s-1"),
        new ServerFrame.TunnelClose("s-1", "done"),
        new TunnelData("terminal-1", obj("{\"type\":\"terminal_output\",\"payload\":{}}")));
  }

  @ParameterizedTest
  @MethodSource("agentFrames")
  void every_agent_frame_survives_a_round_trip(AgentFrame frame) {
    assertThat(codec.decodeFromAgent(codec.encode(frame))).isEqualTo(frame);
  }

  @ParameterizedTest
  @MethodSource("serverFrames")
  void every_server_frame_survives_a_round_trip(ServerFrame frame) {
    assertThat(codec.decodeFromServer(codec.encode(frame))).isEqualTo(frame);
  }

  @Test
  void the_round_trip_sets_cover_every_frame_type() {
    Set<FrameType> covered =
        Stream.concat(agentFrames(), serverFrames())
            .map(FrameType::of)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(FrameType.class)));
    assertThat(covered).containsExactlyInAnyOrder(FrameType.values());
  }

  @Test
  void frames_are_written_as_type_and_snake_case_payload_with_iso_times() throws Exception {
    JsonNode json =
        ProtocolJson.mapper()
            .readTree(codec.encode(new CommandStatusReport(CMD, CommandStatus.ACCEPTED, T)));
    assertThat(json.get("type").asText()).isEqualTo("command_status");
    assertThat(json.get("payload").get("command_id").asText()).isEqualTo("cmd-1");
    assertThat(json.get("payload").get("status").asText()).isEqualTo("accepted");
    assertThat(json.get("payload").get("at").asText()).isEqualTo("2026-11-23T10:00:00Z");
  }

  @Test
  void the_command_frame_payload_is_the_envelope_itself() throws Exception {
    ServerFrame frame = serverFrames().filter(f -> f instanceof CommandDelivery).findFirst().get();
    JsonNode payload = ProtocolJson.mapper().readTree(codec.encode(frame)).get("payload");
    assertThat(payload.get("id").asText()).isEqualTo("cmd-1");
    assertThat(payload.get("agent_id").asText()).isEqualTo("a-1");
    assertThat(payload.get("params").get("message").asText()).isEqualTo("hi");
    assertThat(payload.get("timeout_seconds").asLong()).isEqualTo(30);
    assertThat(payload.get("expires_at").asText()).isEqualTo("2026-11-23T11:00:00Z");
  }

  @Test
  void unknown_payload_fields_are_ignored() {
    String text =
        "{\"type\":\"ack\",\"payload\":{\"of\":\"command_result\",\"command_id\":\"cmd-1\","
            + "\"from_the_future\":{\"x\":1}}}";
    assertThat(codec.decodeFromServer(text)).isEqualTo(new Ack("command_result", CMD, null));
  }

  @Test
  void a_missing_payload_reads_as_an_empty_object() {
    assertThat(codec.decodeFromAgent("{\"type\":\"heartbeat\"}"))
        .isEqualTo(new Heartbeat(null, null, null, null, null));
    assertThat(codec.decodeFromServer("{\"type\":\"command_available\",\"payload\":{}}"))
        .isEqualTo(new ServerFrame.CommandAvailable());
  }

  @Test
  void the_payload_may_come_before_the_type() {
    String payload =
        "{\"command_id\":\"cmd-1\",\"status\":\"accepted\",\"at\":\"2026-11-23T10:00:00Z\"}";
    AgentFrame typeFirst =
        codec.decodeFromAgent("{\"type\":\"command_status\",\"payload\":" + payload + "}");
    AgentFrame payloadFirst =
        codec.decodeFromAgent("{\"payload\":" + payload + ",\"type\":\"command_status\"}");
    assertThat(payloadFirst)
        .isEqualTo(typeFirst)
        .isEqualTo(new CommandStatusReport(CMD, CommandStatus.ACCEPTED, T));
  }

  @Test
  void other_fields_beside_type_and_payload_are_ignored() {
    assertThat(
            codec.decodeFromAgent(
                "{\"type\":\"heartbeat\",\"id\":{\"n\":[1,2]},\"payload\":{\"version\":"
                    + "\"1.0.0\"},\"sent_at\":\"now\"}"))
        .isEqualTo(new Heartbeat("1.0.0", null, null, null, null));
  }

  @Test
  void seed_status_aliases_are_accepted_on_input() {
    String text =
        "{\"type\":\"command_result\",\"payload\":{\"command_id\":\"c\",\"status\":\"succeeded\","
            + "\"completed_at\":\"2026-11-23T10:00:00Z\"}}";
    assertThat(((CommandResult) codec.decodeFromAgent(text)).status())
        .isEqualTo(CommandStatus.COMPLETED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "{\"type\":",
        "[1,2]",
        "{\"payload\":{}}",
        "{\"type\":7}",
        "",
        "{\"type\":\"heartbeat\",\"payload\":{}",
        "{\"type\":\"heartbeat\",\"payload\":{}} {}",
        "{\"type\":\"heartbeat\",\"payload\":{\"version\":\"1\"},\"x\":[}",
        "{\"type\":\"heartbeat\",\"payload\":{\"uptime_seconds\":\"many\"},\"x\":[}"
      })
  void malformed_frames_are_rejected_as_malformed(String text) {
    assertThatThrownBy(() -> codec.decodeFromAgent(text))
        .isInstanceOfSatisfying(
            FrameDecodeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
              assertThat(e.errorCode()).isEqualTo("malformed_frame");
            });
  }

  @Test
  void unknown_types_are_rejected_with_the_type_named() {
    assertThatThrownBy(() -> codec.decodeFromAgent("{\"type\":\"teleport\",\"payload\":{}}"))
        .isInstanceOfSatisfying(
            FrameDecodeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_TYPE);
              assertThat(e.frameType()).contains("teleport");
              assertThat(e.errorCode()).isEqualTo("unknown_type");
            });
  }

  @Test
  void a_repeated_key_counts_once_with_its_last_value() {
    assertThatThrownBy(
            () ->
                codec.decodeFromAgent(
                    "{\"type\":\"heartbeat\",\"payload\":{},\"type\":\"teleport\"}"))
        .isInstanceOfSatisfying(
            FrameDecodeException.class, e -> assertThat(e.frameType()).contains("teleport"));
    assertThat(
            codec.decodeFromAgent(
                "{\"type\":\"heartbeat\",\"payload\":{\"version\":\"1\"},"
                    + "\"payload\":{\"version\":\"2\"}}"))
        .isEqualTo(new Heartbeat("2", null, null, null, null));
  }

  @Test
  void a_frame_sent_the_wrong_way_is_an_unknown_type() {
    assertThatThrownBy(() -> codec.decodeFromAgent("{\"type\":\"auth_ack\",\"payload\":{}}"))
        .isInstanceOfSatisfying(
            FrameDecodeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_TYPE));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"command_status\",\"payload\":{\"status\":\"accepted\"}}",
        "{\"type\":\"command_status\",\"payload\":{\"command_id\":\"c\",\"status\":\"completed\","
            + "\"at\":\"2026-11-23T10:00:00Z\"}}",
        "{\"type\":\"command_result\",\"payload\":{\"command_id\":\"c\",\"status\":\"bogus\"}}",
        "{\"type\":\"command_output\",\"payload\":[]}",
        "{\"type\":\"heartbeat\",\"payload\":{\"uptime_seconds\":\"many\"}}"
      })
  void payloads_missing_required_fields_or_with_bad_values_are_invalid(String text) {
    assertThatThrownBy(() -> codec.decodeFromAgent(text))
        .isInstanceOfSatisfying(
            FrameDecodeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.INVALID_PAYLOAD);
              assertThat(e.errorCode()).isEqualTo("invalid_payload");
              assertThat(e.frameType()).isPresent();
            });
  }
}
