package dev.courier.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.server.command.Command;
import dev.courier.server.command.CommandResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the operator API shows a command (DESIGN §4 contract), including the seed 000 names {@code
 * asset_id} and {@code result_summary} so clients written against that seed keep working.
 */
public final class CommandViews {

  private final ObjectMapper json;

  public CommandViews(ObjectMapper json) {
    this.json = json;
  }

  public Map<String, Object> view(Command command) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", command.id().value());
    view.put("tenant_id", command.tenantId().value());
    view.put("agent_id", command.agentId().value());
    view.put("asset_id", command.agentId().value());
    view.put("rollout_id", command.rolloutId());
    view.put("type", command.type());
    view.put("params", parse(command.paramsJson()));
    view.put("priority", command.priority().wireName());
    view.put("status", command.status().wireName());
    view.put("attempt", command.attempt());
    view.put("timeout_seconds", command.timeout().toSeconds());
    view.put("idempotency_key", command.idempotencyKey());
    view.put("requested_by", command.requestedBy());
    view.put("created_at", command.createdAt());
    view.put("accepted_at", command.acceptedAt());
    view.put("started_at", command.startedAt());
    view.put("completed_at", command.completedAt());
    view.put("expires_at", command.expiresAt());
    view.put("updated_at", command.updatedAt());
    view.put("result", result(command.result()));
    view.put("result_summary", command.result() == null ? null : command.result().summary());
    view.put("error", command.error());
    return view;
  }

  private Map<String, Object> result(CommandResult result) {
    if (result == null) {
      return null;
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("status", result.status());
    view.put("exit_code", result.exitCode());
    view.put("duration_ms", result.duration() == null ? null : result.duration().toMillis());
    view.put("summary", result.summary());
    view.put("findings_count", result.findingsCount());
    view.put("metadata", result.metadataJson() == null ? null : parse(result.metadataJson()));
    view.put("output", result.output());
    view.put("output_truncated", result.outputTruncated());
    return view;
  }

  /** Stored JSON text as a tree, for a view. */
  JsonNode parse(String stored) {
    try {
      return json.readTree(stored);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is corrupt", e);
    }
  }
}
