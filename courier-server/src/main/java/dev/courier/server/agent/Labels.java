package dev.courier.server.agent;

import dev.courier.server.error.InvalidInputException;
import java.util.Map;
import java.util.regex.Pattern;

/** The one rule for agent labels: selector-friendly keys and values, a bounded count. */
public final class Labels {

  static final int MAX_LABELS = 64;

  /** A label key's syntax, also used by selectors. */
  public static final String KEY_SYNTAX = "[A-Za-z0-9]([A-Za-z0-9_.\\-/]{0,62}[A-Za-z0-9])?";

  /** A label value's syntax (may be empty), also used by selectors. */
  public static final String VALUE_SYNTAX = "[A-Za-z0-9_.\\-]{0,63}";

  private static final Pattern KEY = Pattern.compile(KEY_SYNTAX);
  private static final Pattern VALUE = Pattern.compile(VALUE_SYNTAX);

  private Labels() {}

  /**
   * @throws InvalidInputException naming {@code field.key} for the first bad label
   */
  public static Map<String, String> check(Map<String, String> labels, String field) {
    if (labels == null) {
      return Map.of();
    }
    if (labels.size() > MAX_LABELS) {
      throw new InvalidInputException("at most " + MAX_LABELS + " labels are allowed", field);
    }
    labels.forEach(
        (key, value) -> {
          if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidInputException(
                "label key '" + key + "' must be 1-64 letters, digits, '_', '.', '-' or '/'",
                field);
          }
          if (value == null || !VALUE.matcher(value).matches()) {
            throw new InvalidInputException(
                "label value '" + value + "' must be at most 63 letters, digits, '_', '.' or '-'",
                field + "." + key);
          }
        });
    return Map.copyOf(labels);
  }
}
