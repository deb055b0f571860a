package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.config.AgentConfig;
import dev.courier.agent.config.AtomicFiles;
import dev.courier.agent.config.ConfigException;
import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CommandOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code config_update} (seed 004): merges {@code config_data} into the agent's config file. Each
 * top-level key given replaces the file's value ({@code null} removes it). The merged file is
 * validated exactly as at start-up, and only then written: to a temporary file, fsynced and renamed
 * over the config file in one step, after the old content was saved as {@code <file>.bak}. An
 * invalid change fails naming the key and leaves the file untouched. Changes take effect at the
 * agent's next start (send {@code restart}).
 *
 * <p>Keys that widen what commands may touch (allowlists, upgrade origins) or where the agent
 * connects (server, mode, state directory) are the host's to set: a command can never change them.
 */
public final class ConfigUpdateExecutor implements CommandExecutor {

  public static final String TYPE = "config_update";

  /** What a command may change. */
  public static final Set<String> REMOTE_KEYS =
      Set.of(
          "max_concurrent",
          "transport",
          "heartbeat_seconds",
          "shutdown_grace_seconds",
          "outbox_quota_mb",
          "upgrade_deadline_seconds",
          "schedules");

  private final Optional<Path> configFile;

  public ConfigUpdateExecutor(Optional<Path> configFile) {
    this.configFile = Objects.requireNonNull(configFile);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CommandOutcome execute(CommandContext context) throws IOException {
    JsonNode data = context.params().get("config_data");
    if (data == null || !data.isObject()) {
      return CommandOutcome.failed("config_data is required and must be an object");
    }
    if (configFile.isEmpty()) {
      return CommandOutcome.failed(
          "the agent was started without a config file (--config FILE or COURIER_AGENT_CONFIG);"
              + " there is nothing to update");
    }
    Path file = configFile.get();
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!AgentConfig.knownKeys().contains(key)) {
        return CommandOutcome.failed("config_data: unknown key '" + key + "'");
      }
      if (!REMOTE_KEYS.contains(key)) {
        return CommandOutcome.failed(
            "config_data: key '"
                + key
                + "' can only be changed on the host (commands may change "
                + REMOTE_KEYS.stream().sorted().toList()
                + ")");
      }
      keys.add(key);
    }
    byte[] before = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    ObjectNode current;
    try {
      current = AgentConfig.parse(file, new String(before, StandardCharsets.UTF_8)).tree();
    } catch (ConfigException e) {
      return CommandOutcome.failed("the current config file is invalid, not updating it: " + e);
    }
    ObjectNode merged = current.deepCopy();
    List<String> changed = new ArrayList<>();
    for (String key : keys) {
      JsonNode value = data.get(key);
      JsonNode old = current.get(key);
      if (value.isNull()) {
        if (old != null) {
          merged.remove(key);
          changed.add(key);
        }
      } else if (!value.equals(old)) {
        merged.set(key, value.deepCopy());
        changed.add(key);
      }
    }
    try {
      AgentConfig.validate(file, merged);
    } catch (ConfigException e) {
      return CommandOutcome.failed("invalid config, not applied: " + e.getMessage());
    }
    ObjectNode metadata = Json.object();
    metadata.put("config_file", file.toString());
    ArrayNode changedKeys = metadata.putArray("changed_keys");
    changed.forEach(changedKeys::add);
    if (changed.isEmpty()) {
      metadata.put("restart_required", false);
      return CommandOutcome.completed(0, "config already as requested; nothing written", metadata);
    }
    Path backup = file.resolveSibling(file.getFileName() + ".bak");
    AtomicFiles.write(backup, before);
    AtomicFiles.write(file, AgentConfig.toYaml(merged).getBytes(StandardCharsets.UTF_8));
    metadata.put("backup_file", backup.toString());
    metadata.put("restart_required", true);
    return CommandOutcome.completed(
        0,
        "config updated ("
            + String.join(", ", changed)
            + "); the old file is "
            + backup
            + "; takes effect at the agent's next start (send restart)",
        metadata);
  }
}
