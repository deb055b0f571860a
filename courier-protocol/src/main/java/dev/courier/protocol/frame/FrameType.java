package dev.courier.protocol.frame;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The wire name of every frame, and which record carries it in each direction. */
public enum FrameType {
  AUTH(AgentFrame.Auth.class, null),
  HEARTBEAT(AgentFrame.Heartbeat.class, null),
  METRICS(AgentFrame.Metrics.class, null),
  NETWORK_STATE(AgentFrame.NetworkState.class, null),
  COMMAND_STATUS(AgentFrame.CommandStatusReport.class, null),
  COMMAND_OUTPUT(AgentFrame.CommandOutput.class, null),
  COMMAND_RESULT(AgentFrame.CommandResult.class, null),
  WATCHDOG_EVENT(AgentFrame.WatchdogEvent.class, null),
  UPDATE_RESULT(AgentFrame.UpdateResult.class, null),
  TUNNEL_READY(AgentFrame.TunnelReady.class, null),
  TUNNEL_ERROR(AgentFrame.TunnelError.class, null),
  TUNNEL_DATA(TunnelData.class, TunnelData.class),
  AUTH_ACK(null, ServerFrame.AuthAck.class),
  COMMAND(null, ServerFrame.CommandDelivery.class),
  CANCEL(null, ServerFrame.Cancel.class),
  COMMAND_AVAILABLE(null, ServerFrame.CommandAvailable.class),
  CONFIG_UPDATE(null, ServerFrame.ConfigUpdate.class),
  UPDATE(null, ServerFrame.Update.class),
  ACK(null, ServerFrame.Ack.class),
  ERROR(null, ServerFrame.ErrorFrame.class),
  TUNNEL_OPEN(null, ServerFrame.TunnelOpen.class),
  TUNNEL_CLOSE(null, ServerFrame.TunnelClose.class);

  private static final Map<String, FrameType> BY_WIRE_NAME =
      Arrays.stream(values()).collect(Collectors.toMap(FrameType::wireName, Function.identity()));

  private final Class<? extends AgentFrame> fromAgent;
  private final Class<? extends ServerFrame> fromServer;

  FrameType(Class<? extends AgentFrame> fromAgent, Class<? extends ServerFrame> fromServer) {
    this.fromAgent = fromAgent;
    this.fromServer = fromServer;
  }

  /** The {@code type} string on the wire. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type named {@code wireName}, if any. */
  public static Optional<FrameType> fromWire(String wireName) {
    return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
  }

  /** The wire type of a frame. */
  public static FrameType of(Frame frame) {
    for (FrameType type : values()) {
      if (frame.getClass() == type.fromAgent || frame.getClass() == type.fromServer) {
        return type;
      }
    }
    throw new IllegalStateException("no wire type for " + frame.getClass());
  }

  Optional<Class<? extends AgentFrame>> agentRecord() {
    return Optional.ofNullable(fromAgent);
  }

  Optional<Class<? extends ServerFrame>> serverRecord() {
    return Optional.ofNullable(fromServer);
  }
}
