package dev.courier.protocol.frame;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.envelope.SignedEnvelope;
import java.time.Instant;
import java.util.Objects;

/** Frames the server sends to an agent. */
public sealed interface ServerFrame extends Frame
    permits ServerFrame.AuthAck,
        ServerFrame.CommandDelivery,
        ServerFrame.Cancel,
        ServerFrame.CommandAvailable,
        ServerFrame.ConfigUpdate,
        ServerFrame.Update,
        ServerFrame.Ack,
        ServerFrame.ErrorFrame,
        ServerFrame.TunnelOpen,
        ServerFrame.TunnelClose,
        TunnelData {

  /** {@code auth_ack}: the session is authenticated; heartbeat at the given interval. */
  record AuthAck(AgentId agentId, Instant serverTime, Integer heartbeatIntervalSeconds)
      implements ServerFrame {
    /** Requires the agent id. */
    public AuthAck {
      Objects.requireNonNull(agentId, "agent_id");
    }
  }

  /** {@code command}: the payload is the signed envelope itself. */
  record CommandDelivery(@JsonValue SignedEnvelope envelope) implements ServerFrame {
    /** Takes the whole payload object as the envelope. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public CommandDelivery {
      Objects.requireNonNull(envelope, "payload");
    }
  }

  /** {@code cancel}: stop the command if it runs, and report {@code cancelled}. */
  record Cancel(CommandId commandId, String reason) implements ServerFrame {
    /** Requires the command id. */
    public Cancel {
      Objects.requireNonNull(commandId, "command_id");
    }
  }

  /** {@code command_available}: work is waiting; poll now (seed 004's notification). */
  record CommandAvailable() implements ServerFrame {}

  /** {@code config_update}: free-form configuration change. */
  record ConfigUpdate(@JsonValue ObjectNode body) implements ServerFrame {
    /** Takes the whole payload object. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public ConfigUpdate {
      Objects.requireNonNull(body, "payload");
    }
  }

  /** {@code update}: free-form self-update instruction. */
  record Update(@JsonValue ObjectNode body) implements ServerFrame {
    /** Takes the whole payload object. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public Update {
      Objects.requireNonNull(body, "payload");
    }
  }

  /**
   * {@code ack}: the server durably processed the agent frame of type {@code of}. For {@code
   * command_status accepted} this is the go-ahead to execute; for {@code command_result} it lets
   * the agent drop the result from its outbox.
   */
  record Ack(String of, CommandId commandId, CommandStatus status) implements ServerFrame {
    /** Requires {@code of}. */
    public Ack {
      Objects.requireNonNull(of, "of");
    }
  }

  /**
   * {@code error}: the server refused a frame. With code {@link #CONFLICT} and a command id,
   * another delivery already claimed the command: the agent must not execute it.
   */
  record ErrorFrame(String code, String message, String of, CommandId commandId)
      implements ServerFrame {
    /** Another actor won a state transition. */
    public static final String CONFLICT = "conflict";

    /** The frame was not JSON or not a {@code {type, payload}} object. */
    public static final String MALFORMED_FRAME = "malformed_frame";

    /** The frame type is not one this side accepts. */
    public static final String UNKNOWN_TYPE = "unknown_type";

    /** The payload did not have the required fields. */
    public static final String INVALID_PAYLOAD = "invalid_payload";

    /** Requires code and message. */
    public ErrorFrame {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  /** {@code tunnel_open}: open the given tunnel session; the agent answers {@code tunnel_ready}. */
  record TunnelOpen(String sessionId) implements ServerFrame {
    /** Requires the session id. */
    public TunnelOpen {
      Objects.requireNonNull(sessionId, "session_id");
    }
  }

  /** {@code tunnel_close}: close the session and all its channels. */
  record TunnelClose(String sessionId, String reason) implements ServerFrame {
    /** Requires the session id. */
    public TunnelClose {
      Objects.requireNonNull(sessionId, "session_id");
    }
  }
}
