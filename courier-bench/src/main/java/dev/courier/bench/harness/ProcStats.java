package dev.courier.bench.harness;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Resident memory, CPU time and write calls of a process, read from {@code /proc/<pid>/status},
 * {@code /proc/<pid>/stat} and {@code /proc/<pid>/io} (Linux).
 */
public final class ProcStats {

  /** Clock ticks per second of {@code /proc/<pid>/stat} times; 100 on every Linux we run on. */
  private static final double CLOCK_TICKS = 100.0;

  private ProcStats() {}

  /** {@code VmRSS} in bytes. */
  public static long rssBytes(long pid) {
    return statusKb(pid, "VmRSS") * 1024;
  }

  /** {@code VmHWM} (peak RSS) in bytes. */
  public static long peakRssBytes(long pid) {
    return statusKb(pid, "VmHWM") * 1024;
  }

  /** Threads of the process. */
  public static long threads(long pid) {
    return statusKb(pid, "Threads");
  }

  /** User plus system CPU time so far, in seconds. */
  public static double cpuSeconds(long pid) {
    try {
      return cpuSecondsIn(Files.readString(Path.of("/proc/" + pid + "/stat")));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read CPU time of process " + pid, e);
    }
  }

  /**
   * CPU time so far of the process's JIT compiler threads ({@code C1 CompilerThre…}, {@code C2
   * CompilerThre…}), in seconds. Their CPU, unlike the JVM's compilation time, does not grow while
   * a compiler thread waits for a core.
   */
  public static double compilerCpuSeconds(long pid) {
    Path tasks = Path.of("/proc/" + pid + "/task");
    double seconds = 0;
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        try {
          String name = Files.readString(thread.resolve("comm")).strip();
          if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            seconds += cpuSecondsIn(Files.readString(thread.resolve("stat")));
          }
        } catch (NoSuchFileException ended) {
          // The JVM stops compiler threads it no longer needs, between any two of these reads;
          // its CPU then leaves the sum, which only makes the compilers look quieter, as they are.
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the threads of process " + pid, e);
    }
    return seconds;
  }

  /**
   * Write system calls so far ({@code syscw} of {@code /proc/<pid>/io}): {@code write}, {@code
   * writev} and their kin, to sockets and files alike.
   */
  public static long writeCalls(long pid) {
    Path io = Path.of("/proc/" + pid + "/io");
    try {
      return writeCallsIn(Files.readString(io));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read " + io, e);
    }
  }

  static long writeCallsIn(String io) {
    for (String line : io.split("\n")) {
      if (line.startsWith("syscw:")) {
        return Long.parseLong(line.substring("syscw:".length()).strip());
      }
    }
    throw new IllegalStateException("no syscw line");
  }

  /**
   * CPU time so far of every process named {@code comm}, with that of their ended children, in
   * seconds: a local PostgreSQL's backends, say, whose CPU moves into the postmaster's children's
   * times when they end, so the sum goes on counting it.
   */
  public static double cpuSecondsOfAll(String comm) {
    double seconds = 0;
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        try {
          if (Files.readString(process.resolve("comm")).strip().equals(comm)) {
            seconds += cpuSecondsWithChildrenIn(Files.readString(process.resolve("stat")));
          }
        } catch (NoSuchFileException | AccessDeniedException gone) {
          // Ended between the listing and the read: its CPU is now its parent's to count.
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return seconds;
  }

  /** User, system and ended children's times from a {@code /proc/…/stat} line, in seconds. */
  static double cpuSecondsWithChildrenIn(String stat) {
    String[] fields = fieldsAfterName(stat);
    long own = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    long children = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    return (own + children) / CLOCK_TICKS;
  }

  /** User plus system time from a {@code /proc/…/stat} line, in seconds. */
  private static double cpuSecondsIn(String stat) {
    String[] fields = fieldsAfterName(stat);
    long utime = Long.parseLong(fields[11]);
    long stime = Long.parseLong(fields[12]);
    return (utime + stime) / CLOCK_TICKS;
  }

  /** Fields 3 on of a {@code /proc/…/stat} line, so that {@code utime} (field 14) is index 11. */
  private static String[] fieldsAfterName(String stat) {
    // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }

  private static long statusKb(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(key + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/status", e);
    }
    throw new IllegalStateException(key + " missing from /proc/" + pid + "/status");
  }
}
