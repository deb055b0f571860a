package dev.courier.server.tunnel;

import dev.courier.server.error.InvalidInputException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A tenant's rule for command lines sent through tunnels (POST .../command and lines typed into the
 * stream). A line is refused when any {@code deny} pattern is found anywhere in it, or when {@code
 * allow} is not empty and no {@code allow} pattern matches the whole line (trimmed). Patterns are
 * Java regular expressions. An empty policy allows everything.
 */
public record TunnelPolicy(List<String> allow, List<String> deny) {

  public static final int MAX_PATTERNS = 100;
  public static final int MAX_PATTERN_LENGTH = 500;

  public TunnelPolicy {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
  }

  public static TunnelPolicy none() {
    return new TunnelPolicy(List.of(), List.of());
  }

  public boolean isEmpty() {
    return allow.isEmpty() && deny.isEmpty();
  }

  /**
   * Checks the patterns an operator asks for.
   *
   * @throws InvalidInputException naming the bad pattern ({@code allow[2]})
   */
  public static TunnelPolicy of(List<String> allow, List<String> deny) {
    check(allow, "allow");
    check(deny, "deny");
    return new TunnelPolicy(allow, deny);
  }

  private static void check(List<String> patterns, String field) {
    if (patterns.size() > MAX_PATTERNS) {
      throw new InvalidInputException("at most " + MAX_PATTERNS + " patterns", field);
    }
    for (int i = 0; i < patterns.size(); i++) {
      String pattern = patterns.get(i);
      String at = field + "[" + i + "]";
      if (pattern == null || pattern.isBlank() || pattern.length() > MAX_PATTERN_LENGTH) {
        throw new InvalidInputException(
            "a pattern is a non-empty regular expression of at most "
                + MAX_PATTERN_LENGTH
                + " characters",
            at);
      }
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw new InvalidInputException(
            "not a valid regular expression: " + e.getDescription(), at);
      }
    }
  }

  /** Why the line is refused, or empty if it may run. */
  public Optional<String> refusal(String line) {
    String trimmed = line.strip();
    for (String pattern : deny) {
      if (Pattern.compile(pattern).matcher(trimmed).find()) {
        return Optional.of(
            "the tenant's tunnel policy denies this command (deny pattern " + pattern + ")");
      }
    }
    if (!allow.isEmpty() && trimmed.isEmpty()) {
      return Optional.empty();
    }
    if (!allow.isEmpty()
        && allow.stream()
            .noneMatch(pattern -> Pattern.compile(pattern).matcher(trimmed).matches())) {
      return Optional.of("the tenant's tunnel policy allows only listed commands; this one is not");
    }
    return Optional.empty();
  }
}
