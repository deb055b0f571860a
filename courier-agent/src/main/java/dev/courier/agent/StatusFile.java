package dev.courier.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.config.AtomicFiles;
import dev.courier.agent.sdk.AgentStatus;
import dev.courier.protocol.ProtocolJson;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <state-dir>/status.json}: what the running agent is doing, rewritten atomically every
 * {@link #INTERVAL} so {@code courier-agent status} (another process) can show it.
 */
final class StatusFile {

  static final String NAME = "status.json";
  static final Duration INTERVAL = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(StatusFile.class);

  /** Who the agent is: fixed for the process's life. */
  record Identity(String agentId, String server, String version, String mode) {}

  private final Path file;
  private final Identity identity;
  private final Supplier<AgentStatus> status;
  private final Supplier<Integer> localSchedules;
  private final Supplier<Integer> localUploads;
  private final Clock clock;
  private volatile boolean warned;

  StatusFile(
      Path stateDir,
      Identity identity,
      Supplier<AgentStatus> status,
      Supplier<Integer> localSchedules,
      Supplier<Integer> localUploads,
      Clock clock) {
    this.localUploads = localUploads;
    this.file = stateDir.resolve(NAME);
    this.identity = identity;
    this.status = status;
    this.localSchedules = localSchedules;
    this.clock = clock;
  }

  /** Writes the file now; a failure is logged once and retried at the next interval. */
  void write() {
    AgentStatus now = status.get();
    ObjectNode json = ProtocolJson.mapper().createObjectNode();
    json.put("pid", ProcessHandle.current().pid());
    json.put("updated_at", clock.instant().toString());
    json.put("agent_id", identity.agentId());
    json.put("server", identity.server());
    json.put("version", identity.version());
    json.put("mode", identity.mode());
    json.put("state", now.state());
    json.put("connected", now.connected());
    json.put("transport", now.transport());
    json.put("unauthorized", now.unauthorized());
    json.put("running", now.running());
    json.put("queued", now.queued());
    json.put("outbox_results", now.outboxResults());
    json.put("outbox_bytes", now.outboxBytes());
    json.put("outbox_quota_bytes", now.outboxQuotaBytes());
    json.put("outbox_full", now.outboxFull());
    json.put("local_schedules", localSchedules.get());
    json.put("local_runs_waiting", localUploads.get());
    try {
      AtomicFiles.write(file, ProtocolJson.mapper().writeValueAsBytes(json));
      warned = false;
    } catch (IOException e) {
      if (!warned) {
        LOG.warn("cannot write {}: {}", file, e.toString());
        warned = true;
      }
    }
  }
}
