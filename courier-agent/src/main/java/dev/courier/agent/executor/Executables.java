package dev.courier.agent.executor;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds programs the way a shell's {@code PATH} lookup would, without a shell: the executors name
 * the exact file they start, and a missing program is a clear refusal instead of a failed start.
 */
public final class Executables {

  private final List<Path> searchPath;

  private Executables(List<Path> searchPath) {
    this.searchPath = List.copyOf(searchPath);
  }

  /** Looks in these directories, in order. */
  public static Executables in(List<Path> directories) {
    return new Executables(directories);
  }

  /** Looks in the directories of a {@code PATH}-style value ({@code :}-separated on Unix). */
  public static Executables fromPathVariable(String path) {
    List<Path> directories = new ArrayList<>();
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        if (entry.isBlank()) {
          continue;
        }
        try {
          directories.add(Path.of(entry));
        } catch (InvalidPathException e) {
          // a malformed PATH entry cannot hold a program
        }
      }
    }
    return new Executables(directories);
  }

  /** The agent's own {@code PATH}. */
  public static Executables fromEnvironment() {
    return fromPathVariable(System.getenv("PATH"));
  }

  /** The directories searched. */
  public List<Path> searchPath() {
    return searchPath;
  }

  /**
   * The program {@code nameOrPath}: a path (anything with a {@code /}) is taken as it is, a bare
   * name is looked up in the search path. Only regular, executable files count.
   */
  public Optional<Path> find(String nameOrPath) {
    if (nameOrPath == null || nameOrPath.isBlank()) {
      return Optional.empty();
    }
    if (nameOrPath.contains("/") || nameOrPath.contains(File.separator)) {
      return executable(Path.of(nameOrPath).toAbsolutePath());
    }
    for (Path directory : searchPath) {
      Optional<Path> found = executable(directory.resolve(nameOrPath).toAbsolutePath());
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> executable(Path candidate) {
    return Files.isRegularFile(candidate) && Files.isExecutable(candidate)
        ? Optional.of(candidate)
        : Optional.empty();
  }

  @Override
  public String toString() {
    return searchPath.toString();
  }
}
