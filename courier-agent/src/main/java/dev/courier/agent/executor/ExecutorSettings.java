package dev.courier.agent.executor;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the operator allows the executors that touch the system to reach. Every allowlist is empty
 * by default, and an empty allowlist makes its executor refuse every command with a message naming
 * the setting that would allow it.
 *
 * @param gitRoots directories whose repositories {@code git_pull} may pull ({@code --git-roots})
 * @param dockerContainers container names {@code docker_restart} may restart ({@code
 *     --docker-containers})
 * @param dockerBinary the {@code docker} program: a name looked up on {@code PATH} or a path
 * @param scanRoots directories {@code scan} may scan, and where local rule files may live
 * @param scanners where {@code scan} looks for semgrep, trivy and gitleaks
 * @param collectRoots directories {@code collect} may gather files from
 */
public record ExecutorSettings(
    List<Path> gitRoots,
    Set<String> dockerContainers,
    String dockerBinary,
    List<Path> scanRoots,
    Executables scanners,
    List<Path> collectRoots) {

  /** Docker's own rule for container names, which also keeps a name from reading as a flag. */
  static final Pattern CONTAINER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");

  public static final String DEFAULT_DOCKER_BINARY = "docker";

  /**
   * Copies the lists.
   *
   * @throws IllegalArgumentException for a relative root, a bad container name or a blank docker
   *     binary
   */
  public ExecutorSettings {
    gitRoots = absolute("--git-roots", gitRoots);
    scanRoots = absolute("--scan-roots", scanRoots);
    collectRoots = absolute("--collect-roots", collectRoots);
    dockerContainers = Set.copyOf(dockerContainers);
    for (String name : dockerContainers) {
      if (!CONTAINER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "--docker-containers: '" + name + "' is not a valid container name");
      }
    }
    if (dockerBinary == null || dockerBinary.isBlank()) {
      throw new IllegalArgumentException("--docker-binary must not be blank");
    }
    Objects.requireNonNull(scanners, "scanners");
  }

  /** Nothing allowed: the system executors refuse every command. */
  public static ExecutorSettings denyAll() {
    return new ExecutorSettings(
        List.of(),
        Set.of(),
        DEFAULT_DOCKER_BINARY,
        List.of(),
        Executables.fromEnvironment(),
        List.of());
  }

  private static List<Path> absolute(String setting, List<Path> roots) {
    for (Path root : roots) {
      if (!root.isAbsolute()) {
        throw new IllegalArgumentException(setting + " needs absolute paths, was '" + root + "'");
      }
    }
    return roots.stream().map(Path::normalize).toList();
  }
}
