package dev.courier.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Transparent huge pages for the server processes a benchmark starts, asked for as the {@code
 * ./courier} launcher asks for them: where the kernel gives them on request ({@code madvise}), the
 * JVM for its heap and glibc's malloc for the native heap (SQLite's page cache). Where the kernel
 * gives them always there is nothing to ask, and where never the JVM would warn.
 */
public final class HugePages {

  private static final Path KERNEL_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
  private static final String JVM_OPTION = "-XX:+UseTransparentHugePages";
  private static final String MALLOC_TUNABLE = "glibc.malloc.hugetlb=1";

  /** Read once: the kernel's mode does not change while a benchmark runs. */
  private static final boolean ON_REQUEST = kernelGivesThemOnRequest();

  private HugePages() {}

  /** The JVM options a server process adds: none unless the kernel gives huge pages on request. */
  public static List<String> jvmOptions() {
    return ON_REQUEST ? List.of(JVM_OPTION) : List.of();
  }

  /** The environment a server process adds: glibc's tunables, keeping any already set. */
  public static Map<String, String> environment() {
    return ON_REQUEST
        ? Map.of("GLIBC_TUNABLES", tunables(System.getenv("GLIBC_TUNABLES")))
        : Map.of();
  }

  private static boolean kernelGivesThemOnRequest() {
    try {
      return Files.isReadable(KERNEL_MODE) && onRequest(Files.readString(KERNEL_MODE));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether the kernel's mode, as its {@code enabled} file reads ("always [madvise] never", the
   * current one in brackets), gives huge pages to memory that asks for them and only to that.
   */
  static boolean onRequest(String kernelMode) {
    return kernelMode.contains("[madvise]");
  }

  /**
   * {@code inherited} glibc tunables (colon-separated) with malloc's huge pages added, unless they
   * already choose them one way or the other.
   */
  static String tunables(String inherited) {
    if (inherited == null || inherited.isBlank()) {
      return MALLOC_TUNABLE;
    }
    return inherited.contains("glibc.malloc.hugetlb=")
        ? inherited
        : inherited + ":" + MALLOC_TUNABLE;
  }
}
