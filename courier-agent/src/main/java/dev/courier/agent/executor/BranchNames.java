package dev.courier.agent.executor;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The branch names {@code git_pull} accepts: a strict subset of {@code git check-ref-format
 * --branch}. Only letters, digits, {@code . _ / -}; no leading {@code -} (it would read as an
 * option), no {@code ..}, no empty, leading or trailing path component, no component starting with
 * {@code .} or ending in {@code .lock}, no trailing {@code .}; at most 255 characters.
 */
final class BranchNames {

  private static final Pattern CHARACTERS = Pattern.compile("[A-Za-z0-9._/-]{1,255}");

  private BranchNames() {}

  /** Why {@code name} is refused, or empty when it is acceptable. */
  static Optional<String> problem(String name) {
    if (!CHARACTERS.matcher(name).matches()) {
      return Optional.of("must be 1-255 letters, digits, '.', '_', '/' or '-'");
    }
    if (name.startsWith("-")) {
      return Optional.of("must not start with '-'");
    }
    if (name.contains("..")) {
      return Optional.of("must not contain '..'");
    }
    if (name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
      return Optional.of("must not have an empty path component");
    }
    if (name.endsWith(".")) {
      return Optional.of("must not end with '.'");
    }
    for (String component : name.split("/")) {
      if (component.startsWith(".")) {
        return Optional.of("must not have a component starting with '.'");
      }
      if (component.endsWith(".lock")) {
        return Optional.of("must not have a component ending in '.lock'");
      }
    }
    return Optional.empty();
  }
}
