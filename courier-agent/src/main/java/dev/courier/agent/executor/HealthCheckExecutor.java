package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CommandOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

/**
 * {@code health_check}: CPU load, memory, file systems, uptime and the agent's version. The command
 * completes whenever the probe ran; whether the host is healthy is in the metadata ({@code healthy}
 * and one entry per check), because an unhealthy host is a finding, not a failed command.
 */
public final class HealthCheckExecutor implements CommandExecutor {

  public static final String TYPE = "health_check";
  private static final long CPU_SAMPLE_MILLIS = 200;

  private final LazySystemInfo system;
  private final String agentVersion;
  private final HealthThresholds thresholds;

  public HealthCheckExecutor(
      LazySystemInfo system, String agentVersion, HealthThresholds thresholds) {
    this.system = system;
    this.agentVersion = agentVersion;
    this.thresholds = thresholds;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CommandOutcome execute(CommandContext context) {
    ObjectNode checks = Json.object();
    Check memory = memory(checks);
    Check disks = disks(checks);
    cpu(checks);
    uptime(checks);
    boolean healthy = memory.ok() && disks.ok();

    ObjectNode metadata = Json.object();
    metadata.put("healthy", healthy);
    metadata.put("agent_version", agentVersion);
    metadata.set("checks", checks);
    String summary =
        String.format(
            Locale.ROOT,
            "%s: memory %.1f%% used, fullest file system %s",
            healthy ? "healthy" : "unhealthy",
            memory.percent(),
            disks.detail());
    return CommandOutcome.completed(0, summary, metadata);
  }

  private Check memory(ObjectNode checks) {
    GlobalMemory memory = system.hardware().getMemory();
    long total = memory.getTotal();
    long used = total - memory.getAvailable();
    double percent = total == 0 ? 0.0 : Json.percent((double) used / total);
    boolean ok = percent <= thresholds.memoryPercent();
    ObjectNode node = checks.putObject("memory");
    node.put("status", ok ? "ok" : "critical");
    node.put("used_bytes", used);
    node.put("total_bytes", total);
    node.put("used_percent", percent);
    node.put("threshold_percent", thresholds.memoryPercent());
    return new Check(ok, percent, "");
  }

  private Check disks(ObjectNode checks) {
    List<FileSystemUsage.Usage> usages = FileSystemUsage.read(system.os());
    ObjectNode node = checks.putObject("disks");
    ArrayNode fileSystems = node.putArray("file_systems");
    boolean ok = true;
    FileSystemUsage.Usage fullest = null;
    for (FileSystemUsage.Usage usage : usages) {
      double percent = Json.percent(usage.usedFraction());
      boolean fine = percent <= thresholds.diskPercent();
      ok &= fine;
      ObjectNode entry = usage.toJson();
      entry.put("status", fine ? "ok" : "critical");
      fileSystems.add(entry);
      if (fullest == null || usage.usedFraction() > fullest.usedFraction()) {
        fullest = usage;
      }
    }
    node.put("status", ok ? "ok" : "critical");
    node.put("threshold_percent", thresholds.diskPercent());
    String detail =
        fullest == null
            ? "none found"
            : String.format(
                Locale.ROOT, "%s at %.1f%%", fullest.mount(), Json.percent(fullest.usedFraction()));
    return new Check(ok, 0, detail);
  }

  private void cpu(ObjectNode checks) {
    CentralProcessor processor = system.hardware().getProcessor();
    // OSHI's sampled load blocks for the interval; 200 ms is enough for a meaningful figure.
    double load = processor.getSystemCpuLoad(CPU_SAMPLE_MILLIS);
    ObjectNode node = checks.putObject("cpu");
    node.put("status", "ok");
    node.put("load_percent", Json.percent(Math.max(0.0, load)));
    node.put("logical_cores", processor.getLogicalProcessorCount());
    ArrayNode averages = node.putArray("load_average");
    for (double average : processor.getSystemLoadAverage(3)) {
      if (average < 0) {
        averages.addNull(); // not available on this platform (Windows)
      } else {
        averages.add(Math.round(average * 100.0) / 100.0);
      }
    }
  }

  private void uptime(ObjectNode checks) {
    ObjectNode node = checks.putObject("uptime");
    node.put("status", "ok");
    node.put("system_uptime_seconds", system.os().getSystemUptime());
    ProcessHandle.current()
        .info()
        .startInstant()
        .ifPresent(
            started ->
                node.put(
                    "agent_uptime_seconds", Duration.between(started, Instant.now()).toSeconds()));
  }

  private record Check(boolean ok, double percent, String detail) {}
}
