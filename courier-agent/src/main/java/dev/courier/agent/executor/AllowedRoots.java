package dev.courier.agent.executor;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The directories one executor may touch, and the one rule every path sent in a command passes
 * before an executor uses it:
 *
 * <ol>
 *   <li>no roots configured means every path is refused (deny by default);
 *   <li>the path is absolute and has no {@code ..} element;
 *   <li>as written, it lies under a root (so paths elsewhere are refused before anything on disk is
 *       looked at, and a refusal says nothing about what exists outside);
 *   <li>its real path, with every symbolic link followed, lies under a root's real path too, so a
 *       link inside a root that points out of it is refused.
 * </ol>
 *
 * <p>Executors then use only the real path returned here, never the string they were sent.
 */
public final class AllowedRoots {

  private final String setting;
  private final List<Path> roots;

  private AllowedRoots(String setting, List<Path> roots) {
    this.setting = setting;
    this.roots = roots;
  }

  /**
   * Roots for one executor.
   *
   * @param setting how an operator allows paths, named in refusals, e.g. {@code "--git-roots"}
   * @param roots absolute directories
   * @throws IllegalArgumentException when a root is relative
   */
  public static AllowedRoots of(String setting, Collection<Path> roots) {
    List<Path> normalized = new ArrayList<>();
    for (Path root : roots) {
      if (!root.isAbsolute()) {
        throw new IllegalArgumentException(setting + " needs absolute paths, was '" + root + "'");
      }
      normalized.add(root.normalize());
    }
    return new AllowedRoots(setting, List.copyOf(normalized));
  }

  /** No roots: every path is refused. */
  public static AllowedRoots none(String setting) {
    return new AllowedRoots(setting, List.of());
  }

  /** The roots as configured. */
  public List<Path> roots() {
    return roots;
  }

  public boolean isEmpty() {
    return roots.isEmpty();
  }

  /** A path that passed the rule: its real path and the real path of the root it lies under. */
  record Resolved(Path root, Path path) {}

  /**
   * Checks {@code requested} (the value of parameter {@code field}) and returns its real path.
   *
   * @throws InvalidParamException naming the field when the path is refused or does not exist
   */
  Resolved resolve(String field, String requested) throws InvalidParamException {
    if (roots.isEmpty()) {
      throw new InvalidParamException(
          field, "is refused: this agent allows no paths here (configure " + setting + ")");
    }
    Path path;
    try {
      path = Path.of(requested);
    } catch (InvalidPathException e) {
      throw new InvalidParamException(field, "is not a valid path");
    }
    if (!path.isAbsolute()) {
      throw new InvalidParamException(field, "must be an absolute path, was '" + requested + "'");
    }
    for (Path element : path) {
      if (element.toString().equals("..")) {
        throw new InvalidParamException(field, "must not contain '..', was '" + requested + "'");
      }
    }
    Path normalized = path.normalize();
    boolean underARoot = false;
    for (Path root : roots) {
      Optional<Path> realRoot = realPath(root);
      if (normalized.startsWith(root) || realRoot.map(normalized::startsWith).orElse(false)) {
        underARoot = true;
        break;
      }
    }
    if (!underARoot) {
      throw outside(field, requested);
    }
    Path real;
    try {
      real = normalized.toRealPath();
    } catch (NoSuchFileException e) {
      throw new InvalidParamException(field, "does not exist: '" + requested + "'");
    } catch (IOException e) {
      throw new InvalidParamException(field, "cannot be read: '" + requested + "' (" + e + ")");
    }
    Optional<Path> root = rootOf(real);
    if (root.isEmpty()) {
      throw new InvalidParamException(
          field,
          "is refused: '" + requested + "' leads out of the allowed roots through a symbolic link");
    }
    return new Resolved(root.get(), real);
  }

  /** The real path of the root that the real path {@code real} lies under, if any. */
  Optional<Path> rootOf(Path real) {
    for (Path root : roots) {
      Optional<Path> realRoot = realPath(root);
      if (realRoot.isPresent() && real.startsWith(realRoot.get())) {
        return realRoot;
      }
    }
    return Optional.empty();
  }

  private InvalidParamException outside(String field, String requested) {
    return new InvalidParamException(
        field,
        "is refused: '"
            + requested
            + "' is outside the allowed roots "
            + roots
            + " (configure "
            + setting
            + ")");
  }

  private static Optional<Path> realPath(Path root) {
    try {
      return Optional.of(root.toRealPath());
    } catch (IOException e) {
      return Optional.empty(); // a root that does not exist (yet) allows nothing
    }
  }

  @Override
  public String toString() {
    return setting + "=" + roots;
  }
}
