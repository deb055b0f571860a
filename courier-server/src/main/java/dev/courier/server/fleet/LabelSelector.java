package dev.courier.server.fleet;

import dev.courier.server.agent.Labels;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label expression in the syntax operators know from Kubernetes: requirements joined by commas,
 * all of which must hold. Each is {@code key=value} (or {@code ==}), {@code key!=value}, {@code key
 * in (a,b)}, {@code key notin (a,b)}, {@code key} (the label exists) or {@code !key} (it does not).
 * An agent without the key fails {@code =} and {@code in} and passes {@code !=} and {@code notin}.
 */
public final class LabelSelector {

  private static final String KEY = Labels.KEY_SYNTAX;
  private static final String VALUE = Labels.VALUE_SYNTAX;
  private static final Pattern EQUALS =
      Pattern.compile("(" + KEY + ")\\s*(==|=|!=)\\s*(" + VALUE + ")");
  private static final Pattern SET =
      Pattern.compile("(" + KEY + ")\\s+(in|notin)\\s*\\(([^()]*)\\)");
  private static final Pattern EXISTS = Pattern.compile("(!?)\\s*(" + KEY + ")");
  private static final Pattern VALUE_ONLY = Pattern.compile(VALUE);
  static final int MAX_LENGTH = 4096;

  private enum Operator {
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    EXISTS,
    NOT_EXISTS
  }

  private record Requirement(String key, Operator operator, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case EQUALS, IN -> value != null && values.contains(value);
        case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
        case EXISTS -> value != null;
        case NOT_EXISTS -> value == null;
      };
    }
  }

  private final String text;
  private final List<Requirement> requirements;

  private LabelSelector(String text, List<Requirement> requirements) {
    this.text = text;
    this.requirements = List.copyOf(requirements);
  }

  /**
   * @throws IllegalArgumentException saying which part of the expression is wrong
   */
  public static LabelSelector parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("a label selector must not be empty");
    }
    if (expression.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a label selector must be at most " + MAX_LENGTH + " characters");
    }
    List<Requirement> requirements = new ArrayList<>();
    for (String part : splitTopLevel(expression)) {
      requirements.add(requirement(part.strip()));
    }
    return new LabelSelector(expression.strip(), requirements);
  }

  public boolean matches(Map<String, String> labels) {
    for (Requirement requirement : requirements) {
      if (!requirement.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** The expression as written (trimmed). */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }

  private static Requirement requirement(String part) {
    if (part.isEmpty()) {
      throw new IllegalArgumentException("empty requirement between commas");
    }
    Matcher set = SET.matcher(part);
    if (set.matches()) {
      Set<String> values = new LinkedHashSet<>();
      for (String value : set.group(4).split(",", -1)) {
        String trimmed = value.strip();
        if (trimmed.isEmpty() || !VALUE_ONLY.matcher(trimmed).matches()) {
          throw new IllegalArgumentException(
              "'"
                  + part
                  + "': each value in the set must be 1-63 letters, digits, '_', '.' or '-'");
        }
        values.add(trimmed);
      }
      Operator operator = set.group(3).equals("in") ? Operator.IN : Operator.NOT_IN;
      return new Requirement(set.group(1), operator, values);
    }
    Matcher equals = EQUALS.matcher(part);
    if (equals.matches()) {
      Operator operator = equals.group(3).equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS;
      return new Requirement(equals.group(1), operator, Set.of(equals.group(4)));
    }
    Matcher exists = EXISTS.matcher(part);
    if (exists.matches()) {
      Operator operator = exists.group(1).isEmpty() ? Operator.EXISTS : Operator.NOT_EXISTS;
      return new Requirement(exists.group(2), operator, Set.of());
    }
    throw new IllegalArgumentException(
        "'"
            + part
            + "' is not a requirement: use key=value, key!=value, key in (a,b), key notin (a,b),"
            + " key or !key");
  }

  /** Splits on commas outside parentheses, refusing unbalanced ones. */
  private static List<String> splitTopLevel(String expression) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < expression.length(); i++) {
      char c = expression.charAt(i);
      if (c == '(') {
        depth++;
        if (depth > 1) {
          throw new IllegalArgumentException("sets cannot be nested");
        }
      } else if (c == ')') {
        depth--;
        if (depth < 0) {
          throw new IllegalArgumentException("')' without '('");
        }
      } else if (c == ',' && depth == 0) {
        parts.add(expression.substring(start, i));
        start = i + 1;
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException("'(' without ')'");
    }
    parts.add(expression.substring(start));
    return parts;
  }
}
