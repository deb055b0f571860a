package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import oshi.software.os.OSFileStore;
import oshi.software.os.OperatingSystem;

/**
 * The mounted file systems whose fullness means something: local, with a size, and not read-only
 * images such as snap packages (squashfs is always 100 % full and would make every host look
 * unhealthy).
 */
final class FileSystemUsage {

  private static final Set<String> IMAGE_TYPES = Set.of("squashfs", "iso9660", "udf", "cramfs");

  private FileSystemUsage() {}

  /** One mounted file system's size and fullness. */
  record Usage(
      String mount, String type, String volume, long totalBytes, long freeBytes, long usableBytes) {

    long usedBytes() {
      return Math.max(0, totalBytes - freeBytes);
    }

    /**
     * Used share as {@code df} computes it, used / (used + available to non-root users), so blocks
     * reserved for root count neither as used nor as available.
     */
    double usedFraction() {
      long used = usedBytes();
      long denominator = used + usableBytes;
      return denominator == 0 ? 0.0 : (double) used / denominator;
    }

    ObjectNode toJson() {
      ObjectNode node = Json.object();
      node.put("mount", mount);
      node.put("type", type);
      Json.putText(node, "volume", volume);
      node.put("total_bytes", totalBytes);
      node.put("free_bytes", freeBytes);
      node.put("available_bytes", usableBytes);
      node.put("used_bytes", usedBytes());
      node.put("used_percent", Json.percent(usedFraction()));
      return node;
    }
  }

  static List<Usage> read(OperatingSystem os) {
    return os.getFileSystem().getFileStores(true).stream()
        .filter(FileSystemUsage::meaningful)
        .map(
            store ->
                new Usage(
                    store.getMount(),
                    store.getType(),
                    store.getVolume(),
                    store.getTotalSpace(),
                    store.getFreeSpace(),
                    store.getUsableSpace()))
        .toList();
  }

  private static boolean meaningful(OSFileStore store) {
    String type = store.getType() == null ? "" : store.getType().toLowerCase(Locale.ROOT);
    return store.getTotalSpace() > 0
        && !IMAGE_TYPES.contains(type)
        && !store.getMount().startsWith("/snap/");
  }
}
