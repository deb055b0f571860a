package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.protocol.CommandStatus;
import java.time.Duration;
import java.util.Locale;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.VirtualMemory;
import oshi.software.os.OperatingSystem;

/**
 * {@code collect_telemetry} (seed 000): a snapshot of how busy the host is. CPU, network rates and
 * the busiest processes are measured over a short sample ({@code sample_ms}, default 500, at most
 * 5000); memory, swap, file systems and load averages are read once.
 */
public final class TelemetryExecutor implements CommandExecutor {

  public static final String TYPE = "collect_telemetry";
  static final int DEFAULT_SAMPLE_MS = 500;
  static final int MAX_SAMPLE_MS = 5000;
  static final int DEFAULT_TOP = 5;
  static final int MAX_TOP = 50;

  private final LazySystemInfo system;

  public TelemetryExecutor(LazySystemInfo system) {
    this.system = system;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CommandOutcome execute(CommandContext context) throws InterruptedException {
    int sampleMs;
    int top;
    try {
      Params params = Params.of(context.params());
      sampleMs = params.boundedInt("sample_ms", DEFAULT_SAMPLE_MS, 0, MAX_SAMPLE_MS);
      top = params.boundedInt("top", DEFAULT_TOP, 0, MAX_TOP);
    } catch (InvalidParamException e) {
      return CommandOutcome.failed(e.getMessage());
    }

    CentralProcessor processor = system.hardware().getProcessor();
    OperatingSystem os = system.os();
    long[] systemTicks = processor.getSystemCpuLoadTicks();
    long[][] coreTicks = processor.getProcessorCpuLoadTicks();
    NetworkSample network = NetworkSample.start(system.hardware());
    ProcessSample processes = top > 0 ? ProcessSample.start(os) : null;
    long started = System.nanoTime();
    if (!Pause.sleep(context, Duration.ofMillis(sampleMs))) {
      return new CommandOutcome(CommandStatus.CANCELLED, null, null, "cancelled", null, null);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    ObjectNode metadata = Json.object();
    metadata.put("sample_ms", elapsed.toMillis());
    ObjectNode cpu = cpu(processor, systemTicks, coreTicks, sampleMs);
    metadata.set("cpu", cpu);
    ObjectNode memory = memory(system.hardware().getMemory());
    metadata.set("memory", memory);
    metadata.set("swap", swap(system.hardware().getMemory().getVirtualMemory()));
    ArrayNode fileSystems = metadata.putArray("file_systems");
    FileSystemUsage.read(os).forEach(usage -> fileSystems.add(usage.toJson()));
    metadata.set("network", network.finish(elapsed));
    ObjectNode processNode = metadata.putObject("processes");
    processNode.put("count", os.getProcessCount());
    processNode.put("thread_count", os.getThreadCount());
    processNode.set("top", processes == null ? Json.array() : processes.finish(os, top));

    String summary =
        String.format(
            Locale.ROOT,
            "cpu %s%%, memory %.1f%% used, %d processes",
            cpu.path("usage_percent").isNull() ? "?" : cpu.path("usage_percent").asText(),
            memory.path("used_percent").asDouble(),
            processNode.path("count").asInt());
    return CommandOutcome.completed(0, summary, metadata);
  }

  private static ObjectNode cpu(
      CentralProcessor processor, long[] systemTicks, long[][] coreTicks, int sampleMs) {
    ObjectNode node = Json.object();
    if (sampleMs > 0) {
      node.put("usage_percent", Json.percent(processor.getSystemCpuLoadBetweenTicks(systemTicks)));
      ArrayNode perCore = node.putArray("per_core_percent");
      for (double load : processor.getProcessorCpuLoadBetweenTicks(coreTicks)) {
        perCore.add(Json.percent(load));
      }
    } else {
      node.putNull("usage_percent"); // nothing to measure over a zero-length sample
      node.putArray("per_core_percent");
    }
    node.put("logical_cores", processor.getLogicalProcessorCount());
    double[] averages = processor.getSystemLoadAverage(3);
    ObjectNode load = node.putObject("load_average");
    String[] names = {"one", "five", "fifteen"};
    for (int i = 0; i < names.length; i++) {
      if (averages[i] < 0) {
        load.putNull(names[i]); // not available on this platform (Windows)
      } else {
        load.put(names[i], Math.round(averages[i] * 100.0) / 100.0);
      }
    }
    return node;
  }

  private static ObjectNode memory(GlobalMemory memory) {
    ObjectNode node = Json.object();
    long total = memory.getTotal();
    long available = memory.getAvailable();
    node.put("total_bytes", total);
    node.put("available_bytes", available);
    node.put("used_bytes", total - available);
    node.put("used_percent", total == 0 ? 0.0 : Json.percent((double) (total - available) / total));
    return node;
  }

  private static ObjectNode swap(VirtualMemory virtual) {
    ObjectNode node = Json.object();
    node.put("total_bytes", virtual.getSwapTotal());
    node.put("used_bytes", virtual.getSwapUsed());
    return node;
  }
}
