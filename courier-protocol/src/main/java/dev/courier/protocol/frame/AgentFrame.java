package dev.courier.protocol.frame;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.OutputStreamName;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Frames an agent sends to the server. */
public sealed interface AgentFrame extends Frame
    permits AgentFrame.Auth,
        AgentFrame.Heartbeat,
        AgentFrame.Metrics,
        AgentFrame.NetworkState,
        AgentFrame.CommandStatusReport,
        AgentFrame.CommandOutput,
        AgentFrame.CommandResult,
        AgentFrame.WatchdogEvent,
        AgentFrame.UpdateResult,
        AgentFrame.TunnelReady,
        TunnelData,
        AgentFrame.TunnelError {

  /** {@code auth}: first-frame authentication for agents that cannot set upgrade headers. */
  record Auth(AgentId agentId, String agentKey, String version, List<String> capabilities)
      implements AgentFrame {
    /** Requires the credential pair. */
    public Auth {
      Objects.requireNonNull(agentId, "agent_id");
      Objects.requireNonNull(agentKey, "agent_key");
      capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }
  }

  /**
   * {@code heartbeat}: liveness plus a small snapshot. Every field is optional because seed 001's
   * heartbeat had no payload at all.
   *
   * @param runningCommands executions in flight on the agent right now
   */
  record Heartbeat(
      String version,
      String hostname,
      Long uptimeSeconds,
      List<String> capabilities,
      Integer runningCommands)
      implements AgentFrame {}

  /** {@code metrics}: free-form system metrics; the payload object is carried as is. */
  record Metrics(@JsonValue ObjectNode body) implements AgentFrame {
    /** Takes the whole payload object. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public Metrics {
      Objects.requireNonNull(body, "payload");
    }
  }

  /** {@code network_state}: free-form network interface snapshot. */
  record NetworkState(@JsonValue ObjectNode body) implements AgentFrame {
    /** Takes the whole payload object. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public NetworkState {
      Objects.requireNonNull(body, "payload");
    }
  }

  /**
   * {@code command_status}: the agent claims a command ({@code accepted}) or says it started
   * ({@code running}). The server answers {@code accepted} with {@code ack} or {@code error
   * conflict}.
   */
  record CommandStatusReport(CommandId commandId, CommandStatus status, Instant at)
      implements AgentFrame {
    /** Only {@code accepted} and {@code running} are reported this way. */
    public CommandStatusReport {
      Objects.requireNonNull(commandId, "command_id");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(at, "at");
      if (status != CommandStatus.ACCEPTED && status != CommandStatus.RUNNING) {
        throw new IllegalArgumentException("command_status must be accepted or running");
      }
    }
  }

  /** {@code command_output}: one chunk of streamed output; {@code seq} starts at 0 per command. */
  record CommandOutput(CommandId commandId, long seq, OutputStreamName stream, String data)
      implements AgentFrame {
    /** Requires every field. */
    public CommandOutput {
      Objects.requireNonNull(commandId, "command_id");
      Objects.requireNonNull(stream, "stream");
      Objects.requireNonNull(data, "data");
    }
  }

  /**
   * {@code command_result}: the final outcome; same fields as the HTTP result body plus the id. The
   * agent resends it until the server answers {@code ack {of: "command_result"}}.
   */
  record CommandResult(
      CommandId commandId,
      CommandStatus status,
      Instant completedAt,
      Long durationMs,
      Integer exitCode,
      String summary,
      Integer findingsCount,
      String error,
      ObjectNode metadata,
      String output)
      implements AgentFrame {
    /** Requires id, a result status and completion time. */
    public CommandResult {
      Objects.requireNonNull(commandId, "command_id");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(completedAt, "completed_at");
      if (!status.isResult()) {
        throw new IllegalArgumentException("not a result status: " + status.wireName());
      }
    }
  }

  /** {@code watchdog_event}: free-form service monitoring event. */
  record WatchdogEvent(@JsonValue ObjectNode body) implements AgentFrame {
    /** Takes the whole payload object. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public WatchdogEvent {
      Objects.requireNonNull(body, "payload");
    }
  }

  /** {@code update_result}: free-form outcome of a self-update. */
  record UpdateResult(@JsonValue ObjectNode body) implements AgentFrame {
    /** Takes the whole payload object. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public UpdateResult {
      Objects.requireNonNull(body, "payload");
    }
  }

  /** {@code tunnel_ready}: the agent opened the tunnel session the server asked for. */
  record TunnelReady(String sessionId) implements AgentFrame {
    /** Requires the session id. */
    public TunnelReady {
      Objects.requireNonNull(sessionId, "session_id");
    }
  }

  /** {@code tunnel_error}: a channel failed on the agent. */
  record TunnelError(String channelId, String error) implements AgentFrame {
    /** Requires both fields. */
    public TunnelError {
      Objects.requireNonNull(channelId, "channel_id");
      Objects.requireNonNull(error, "error");
    }
  }
}
