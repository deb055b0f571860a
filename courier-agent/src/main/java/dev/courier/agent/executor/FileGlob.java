package dev.courier.agent.executor;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code collect} pattern: a glob matched against paths relative to the collected directory, with
 * {@code /} between names. {@code *} stays within one directory, {@code **} crosses them, and a
 * leading {@code **}{@code /} also matches no directory at all, so {@code **}{@code /*.log} finds
 * {@code app.log} as well as {@code old/app.log}. Absolute patterns and {@code ..} are refused.
 */
final class FileGlob {

  static final String ANY = "**";
  private static final int MAX_LENGTH = 1024;

  private final String pattern;
  private final PathMatcher matcher;
  private final PathMatcher withoutLeadingAnyDirectory;

  private FileGlob(String pattern, PathMatcher matcher, PathMatcher withoutLeadingAnyDirectory) {
    this.pattern = pattern;
    this.matcher = matcher;
    this.withoutLeadingAnyDirectory = withoutLeadingAnyDirectory;
  }

  /**
   * Compiles a pattern given as {@code field}.
   *
   * @throws InvalidParamException naming the field for an absolute, traversing or malformed glob
   */
  static FileGlob of(String field, String pattern) throws InvalidParamException {
    if (pattern.isBlank() || pattern.length() > MAX_LENGTH) {
      throw new InvalidParamException(field, "must be 1-" + MAX_LENGTH + " characters");
    }
    if (pattern.startsWith("/") || pattern.startsWith("\\")) {
      throw new InvalidParamException(field, "must be relative to source_config.path");
    }
    for (String part : pattern.split("[/\\\\]")) {
      if (part.equals("..")) {
        throw new InvalidParamException(field, "must not contain '..'");
      }
    }
    try {
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      PathMatcher rest =
          pattern.startsWith("**/") && pattern.length() > 3
              ? FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3))
              : null;
      return new FileGlob(pattern, matcher, rest);
    } catch (PatternSyntaxException e) {
      throw new InvalidParamException(field, "is not a valid glob: " + e.getDescription());
    }
  }

  /** True when {@code relative} (a path relative to the collected directory) matches. */
  boolean matches(Path relative) {
    return matcher.matches(relative)
        || (withoutLeadingAnyDirectory != null && withoutLeadingAnyDirectory.matches(relative));
  }

  @Override
  public String toString() {
    return pattern;
  }
}
