package dev.courier.agent.executor;

import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OperatingSystem;

/**
 * The agent's one OSHI {@link SystemInfo}, built on first use and shared by every executor.
 *
 * <p>Building it loads JNA and probes the platform, which costs several megabytes an idle agent
 * never needs; sharing it also keeps OSHI's own memoized values (processor identity, disk list)
 * from being recomputed per command.
 */
public final class LazySystemInfo {

  private volatile Loaded loaded;

  /** The hardware view, creating OSHI on first call. */
  public HardwareAbstractionLayer hardware() {
    return load().hardware();
  }

  /** The operating-system view, creating OSHI on first call. */
  public OperatingSystem os() {
    return load().os();
  }

  /** True once a command has needed OSHI; lets tests check that startup stays light. */
  public boolean isLoaded() {
    return loaded != null;
  }

  private Loaded load() {
    Loaded current = loaded;
    if (current == null) {
      synchronized (this) {
        current = loaded;
        if (current == null) {
          SystemInfo info = new SystemInfo();
          current = new Loaded(info.getHardware(), info.getOperatingSystem());
          loaded = current;
        }
      }
    }
    return current;
  }

  private record Loaded(HardwareAbstractionLayer hardware, OperatingSystem os) {}
}
