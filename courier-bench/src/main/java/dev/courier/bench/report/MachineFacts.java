package dev.courier.bench.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What the figures were measured on: they mean little without it. */
public final class MachineFacts {

  private MachineFacts() {}

  public static void addTo(ObjectNode node) {
    node.put("cores", Runtime.getRuntime().availableProcessors());
    meminfoKb("MemTotal").ifPresent(kb -> node.put("memory_bytes", kb * 1024));
    cpuModel().ifPresent(model -> node.put("cpu_model", model));
    node.put("jdk", System.getProperty("java.vm.vendor") + " " + Runtime.version());
    node.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    node.put("arch", System.getProperty("os.arch"));
    node.put("open_files_limit", openFilesLimit());
    // Other work on the box skews every figure: say how busy it was.
    try {
      node.put("load_average", Files.readString(Path.of("/proc/loadavg")).trim());
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
  }

  /** The soft limit of open files of this process, or -1 if unknown. */
  public static long openFilesLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
          return Long.parseLong(parts[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: unknown
    }
    return -1;
  }

  private static Optional<Long> meminfoKb(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith(key + ":")) {
          return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return Optional.empty();
  }

  private static Optional<String> cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return Optional.of(line.substring(line.indexOf(':') + 1).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return Optional.empty();
  }
}
