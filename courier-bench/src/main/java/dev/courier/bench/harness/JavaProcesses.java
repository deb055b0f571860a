package dev.courier.bench.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Starts the Java processes a benchmark measures from outside (server, agent, baselines) with the
 * same JVM options as the {@code ./courier} launcher, and keeps their PIDs so that {@link #close()}
 * stops exactly those processes and no other.
 */
public final class JavaProcesses implements AutoCloseable {

  /**
   * The agent's JVM options, as {@code ./courier agent} and {@code deploy/courier-agent-launch} set
   * them: the checkout's agent options file, passed to java as an argument file ({@code @file}) the
   * way both launchers pass it, so there is one list of options and no copy of it here.
   */
  public static final List<String> AGENT_JVM_OPTIONS =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "@" + root().resolve("courier-agent/src/main/jvm/courier-agent.jvm-options"));

  private final List<Process> started = new ArrayList<>();
  private final Path logDir;

  public JavaProcesses(Path logDir) {
    this.logDir = logDir;
  }

  /** The java binary this JVM runs on. */
  public static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * The server's JVM options, as {@code ./courier server} sets them, with its CDS archive; its
   * environment adds {@link HugePages#environment()}.
   */
  public static List<String> serverJvmOptions(Path sharedArchive) {
    List<String> options = new ArrayList<>();
    options.add("--enable-native-access=ALL-UNNAMED");
    options.addAll(HugePages.jvmOptions());
    options.addAll(sharedArchiveOptions(sharedArchive));
    return options;
  }

  /**
   * The launchers' class-data archive: written by the JVM when it exits, rewritten when the jar
   * changed, quietly (JDK 24 and later also log it under "aot").
   */
  public static List<String> sharedArchiveOptions(Path sharedArchive) {
    return List.of(
        "-XX:+AutoCreateSharedArchive",
        "-XX:SharedArchiveFile=" + sharedArchive,
        Runtime.version().feature() >= 24
            ? "-Xlog:cds=off,cds+dynamic=off,aot=off"
            : "-Xlog:cds=off,cds+dynamic=off");
  }

  /**
   * This JVM's class path as a list of files: the entries of {@code java.class.path}, or, when
   * started with {@code java -jar}, the jar and its manifest {@code Class-Path}.
   */
  public static List<Path> classpath() {
    List<Path> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        entries.add(Path.of(entry).toAbsolutePath());
      }
    }
    if (entries.size() == 1 && entries.getFirst().toString().endsWith(".jar")) {
      Path jar = entries.getFirst();
      try (JarFile file = new JarFile(jar.toFile())) {
        Manifest manifest = file.getManifest();
        String cp = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
        if (cp != null) {
          for (String entry : cp.trim().split("\\s+")) {
            // Relative to the jar (the bench's lib/), or a file: URL (surefire's booter jar).
            entries.add(
                entry.startsWith("file:")
                    ? Path.of(java.net.URI.create(entry))
                    : jar.getParent().resolve(entry).normalize());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return entries;
  }

  /**
   * A class path for running another Courier program from this JVM's dependencies: the entries
   * whose file name starts with {@code first} come first (so that program's own {@code logback.xml}
   * wins), and the bench's own classes and test resources are left out unless asked.
   */
  public static String classpathFor(String first, boolean includeBench) {
    return String.join(
        File.pathSeparator,
        classpathFor(classpath(), first, includeBench).stream().map(Path::toString).toList());
  }

  /**
   * {@link #classpathFor(String, boolean)} of {@code entries}. The modules come as jars when the
   * build packaged them ({@code ./courier test}), or as their {@code target/classes} folders when
   * it did not ({@code mvn test -pl courier-bench -am}): either way a module is known by its name.
   */
  static List<Path> classpathFor(List<Path> entries, String first, boolean includeBench) {
    List<Path> chosen = new ArrayList<>(entries);
    chosen.removeIf(
        p ->
            !includeBench
                && (moduleOf(p).startsWith("courier-bench")
                    || p.endsWith(Path.of("target", "test-classes"))));
    chosen.sort(Comparator.comparing(p -> moduleOf(p).startsWith(first) ? 0 : 1));
    return chosen;
  }

  /** A jar's file name, or the module folder's name for its {@code target/classes}. */
  private static String moduleOf(Path entry) {
    boolean classesFolder =
        entry.endsWith(Path.of("target", "classes"))
            || entry.endsWith(Path.of("target", "test-classes"));
    Path named = classesFolder ? entry.getParent().getParent() : entry;
    return named == null || named.getFileName() == null ? "" : named.getFileName().toString();
  }

  /** The Courier checkout (the folder of the {@code courier} launcher), if this runs in one. */
  public static Path root() {
    String configured = System.getProperty("courier.root");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("courier"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    return Path.of("").toAbsolutePath();
  }

  /** Starts {@code command}, its output going to {@code <logDir>/<name>.log}. */
  public Process start(String name, List<String> command, Map<String, String> env) {
    try {
      Files.createDirectories(logDir);
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(env);
      builder.redirectErrorStream(true);
      builder.redirectOutput(logDir.resolve(name + ".log").toFile());
      Process process = builder.start();
      synchronized (started) {
        started.add(process);
      }
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.getFirst(), e);
    }
  }

  public Path log(String name) {
    return logDir.resolve(name + ".log");
  }

  /** Stops one process it started: SIGTERM, then SIGKILL after {@code grace}. */
  public static void stop(Process process, Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public void close() {
    List<Process> all;
    synchronized (started) {
      all = List.copyOf(started);
      started.clear();
    }
    all.forEach(p -> stop(p, Duration.ofSeconds(10)));
  }
}
