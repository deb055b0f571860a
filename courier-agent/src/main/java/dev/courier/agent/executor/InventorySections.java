package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import oshi.hardware.CentralProcessor;
import oshi.hardware.ComputerSystem;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.NetworkIF;
import oshi.software.os.OperatingSystem;

/**
 * The sections {@code collect_inventory} can report, in report order, each read from OSHI.
 *
 * <p>Deliberately left out: serial numbers and physical memory modules, which OSHI reads on Linux
 * by running {@code dmidecode} (root only) — inventory must not need privileges or child processes.
 */
final class InventorySections {

  private InventorySections() {}

  /** Section name to collector, in the order sections appear in the result. */
  static Map<String, Function<LazySystemInfo, JsonNode>> all() {
    Map<String, Function<LazySystemInfo, JsonNode>> sections = new LinkedHashMap<>();
    sections.put("host", InventorySections::host);
    sections.put("os", InventorySections::os);
    sections.put("cpu", InventorySections::cpu);
    sections.put("memory", InventorySections::memory);
    sections.put("disks", InventorySections::disks);
    sections.put("file_systems", InventorySections::fileSystems);
    sections.put("network", InventorySections::network);
    sections.put("uptime", InventorySections::uptime);
    sections.put("java", system -> java());
    return sections;
  }

  static JsonNode host(LazySystemInfo system) {
    ObjectNode node = Json.object();
    node.put("hostname", system.os().getNetworkParams().getHostName());
    Json.putText(node, "domain", system.os().getNetworkParams().getDomainName());
    ComputerSystem computer = system.hardware().getComputerSystem();
    Json.putText(node, "manufacturer", computer.getManufacturer());
    Json.putText(node, "model", computer.getModel());
    return node;
  }

  static JsonNode os(LazySystemInfo system) {
    OperatingSystem os = system.os();
    ObjectNode node = Json.object();
    node.put("family", os.getFamily());
    Json.putText(node, "manufacturer", os.getManufacturer());
    Json.putText(node, "version", os.getVersionInfo().getVersion());
    Json.putText(node, "build", os.getVersionInfo().getBuildNumber());
    Json.putText(node, "code_name", os.getVersionInfo().getCodeName());
    node.put("bitness", os.getBitness());
    // The JVM's os.name/os.version are the kernel's name and release (uname -sr) on Linux.
    node.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    node.put("arch", System.getProperty("os.arch"));
    return node;
  }

  static JsonNode cpu(LazySystemInfo system) {
    CentralProcessor processor = system.hardware().getProcessor();
    CentralProcessor.ProcessorIdentifier id = processor.getProcessorIdentifier();
    ObjectNode node = Json.object();
    Json.putText(node, "model", id.getName());
    Json.putText(node, "vendor", id.getVendor());
    Json.putText(node, "family", id.getFamily());
    Json.putText(node, "microarchitecture", id.getMicroarchitecture());
    node.put("cpu_64bit", id.isCpu64bit());
    node.put("packages", processor.getPhysicalPackageCount());
    node.put("physical_cores", processor.getPhysicalProcessorCount());
    node.put("logical_cores", processor.getLogicalProcessorCount());
    Json.putPositive(node, "max_freq_hz", processor.getMaxFreq());
    return node;
  }

  static JsonNode memory(LazySystemInfo system) {
    GlobalMemory memory = system.hardware().getMemory();
    ObjectNode node = Json.object();
    node.put("total_bytes", memory.getTotal());
    node.put("page_size_bytes", memory.getPageSize());
    node.put("swap_total_bytes", memory.getVirtualMemory().getSwapTotal());
    return node;
  }

  static JsonNode disks(LazySystemInfo system) {
    ArrayNode disks = Json.array();
    for (HWDiskStore disk : system.hardware().getDiskStores()) {
      ObjectNode node = disks.addObject();
      node.put("name", disk.getName());
      Json.putText(node, "model", disk.getModel());
      node.put("size_bytes", disk.getSize());
    }
    return disks;
  }

  static JsonNode fileSystems(LazySystemInfo system) {
    ArrayNode fileSystems = Json.array();
    FileSystemUsage.read(system.os()).forEach(usage -> fileSystems.add(usage.toJson()));
    return fileSystems;
  }

  static JsonNode network(LazySystemInfo system) {
    ArrayNode interfaces = Json.array();
    for (NetworkIF nic : system.hardware().getNetworkIFs()) {
      ObjectNode node = interfaces.addObject();
      node.put("name", nic.getName());
      Json.putText(node, "display_name", nic.getDisplayName());
      Json.putText(node, "mac", nic.getMacaddr());
      ArrayNode ipv4 = node.putArray("ipv4");
      for (String address : nic.getIPv4addr()) {
        ipv4.add(address);
      }
      ArrayNode ipv6 = node.putArray("ipv6");
      for (String address : nic.getIPv6addr()) {
        ipv6.add(address);
      }
      node.put("mtu", nic.getMTU());
      Json.putPositive(node, "speed_bps", nic.getSpeed());
      node.put("status", nic.getIfOperStatus().name().toLowerCase(java.util.Locale.ROOT));
    }
    return interfaces;
  }

  static JsonNode uptime(LazySystemInfo system) {
    ObjectNode node = Json.object();
    node.put("boot_time", Instant.ofEpochSecond(system.os().getSystemBootTime()).toString());
    node.put("uptime_seconds", system.os().getSystemUptime());
    return node;
  }

  static JsonNode java() {
    ObjectNode node = Json.object();
    node.put("version", Runtime.version().toString());
    node.put("vendor", System.getProperty("java.vendor"));
    node.put("vm", System.getProperty("java.vm.name"));
    node.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    node.put("available_processors", Runtime.getRuntime().availableProcessors());
    return node;
  }
}
