package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.protocol.CommandStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code collect_inventory} (seed 000): the host's hardware and software as OSHI reads it. The
 * optional {@code sections} parameter picks which sections to collect; the host name is always
 * reported at the top level so a result identifies its machine on its own.
 */
public final class InventoryExecutor implements CommandExecutor {

  public static final String TYPE = "collect_inventory";

  private final LazySystemInfo system;

  public InventoryExecutor(LazySystemInfo system) {
    this.system = system;
  }

  /** The section names the {@code sections} parameter accepts, in report order. */
  public static List<String> sectionNames() {
    return List.copyOf(InventorySections.all().keySet());
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CommandOutcome execute(CommandContext context) {
    Map<String, Function<LazySystemInfo, JsonNode>> available = InventorySections.all();
    List<String> wanted;
    try {
      wanted = selected(Params.of(context.params()), available);
    } catch (InvalidParamException e) {
      return CommandOutcome.failed(e.getMessage());
    }
    ObjectNode metadata = Json.object();
    metadata.put("hostname", system.os().getNetworkParams().getHostName());
    ArrayNode collected = metadata.putArray("sections");
    for (String name : wanted) {
      if (context.isCancelled()) {
        return new CommandOutcome(CommandStatus.CANCELLED, null, null, "cancelled", null, null);
      }
      metadata.set(name, available.get(name).apply(system));
      collected.add(name);
    }
    return CommandOutcome.completed(0, summary(metadata), metadata);
  }

  private static List<String> selected(
      Params params, Map<String, Function<LazySystemInfo, JsonNode>> available)
      throws InvalidParamException {
    List<String> requested = params.stringList("sections").orElse(null);
    if (requested == null) {
      return List.copyOf(available.keySet());
    }
    if (requested.isEmpty()) {
      throw new InvalidParamException("sections", "must name at least one section");
    }
    for (String name : requested) {
      if (!available.containsKey(name)) {
        throw new InvalidParamException(
            "sections",
            "names an unknown section: " + name + " (known: " + available.keySet() + ")");
      }
    }
    // Report order, not request order, and each section once.
    List<String> ordered = new ArrayList<>();
    available.keySet().stream().filter(requested::contains).forEach(ordered::add);
    return ordered;
  }

  private static String summary(ObjectNode metadata) {
    List<String> parts = new ArrayList<>();
    parts.add(metadata.path("hostname").asText());
    if (metadata.has("os")) {
      JsonNode os = metadata.get("os");
      parts.add(os.path("family").asText() + " " + os.path("version").asText(""));
    }
    if (metadata.has("cpu")) {
      parts.add(metadata.get("cpu").path("logical_cores").asInt() + " logical cores");
    }
    if (metadata.has("memory")) {
      double gib = metadata.get("memory").path("total_bytes").asLong() / (1024.0 * 1024 * 1024);
      parts.add(String.format(Locale.ROOT, "%.1f GiB memory", gib));
    }
    if (metadata.has("disks")) {
      parts.add(metadata.get("disks").size() + " disks");
    }
    if (metadata.has("network")) {
      parts.add(metadata.get("network").size() + " network interfaces");
    }
    return "inventory of " + String.join(", ", parts);
  }
}
