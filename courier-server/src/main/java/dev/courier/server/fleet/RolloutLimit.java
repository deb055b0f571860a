package dev.courier.server.fleet;

import dev.courier.server.error.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code max_concurrency} or {@code max_errors} as the operator wrote it: a count ({@code 50}) or
 * a share of the targets ({@code "10%"}), turned into a count once the targets are known.
 */
public record RolloutLimit(int value, boolean percent) {

  private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})%");
  private static final Pattern COUNT = Pattern.compile("\\d{1,9}");

  public RolloutLimit {
    if (value < 0 || (percent && value > 100)) {
      throw new IllegalArgumentException("limit out of range: " + value);
    }
  }

  public static RolloutLimit count(int value) {
    return new RolloutLimit(value, false);
  }

  /**
   * @param minimum the smallest count allowed (1 for concurrency, 0 for errors)
   * @throws InvalidInputException naming {@code field} for anything but a count or a percentage
   */
  public static RolloutLimit parse(String text, int minimum, String field) {
    String trimmed = text.strip();
    Matcher percent = PERCENT.matcher(trimmed);
    if (percent.matches()) {
      int value = Integer.parseInt(percent.group(1));
      if (value > 100 || value < minimum) {
        throw new InvalidInputException(
            "must be a percentage from " + minimum + "% to 100%", field);
      }
      return new RolloutLimit(value, true);
    }
    if (COUNT.matcher(trimmed).matches()) {
      int value = Integer.parseInt(trimmed);
      if (value < minimum) {
        throw new InvalidInputException("must be at least " + minimum, field);
      }
      return count(value);
    }
    throw new InvalidInputException(
        "must be a whole number or a percentage such as \"10%\"", field);
  }

  /**
   * The count for {@code targets} targets: a percentage rounds up for concurrency (so 10% of 5 is
   * 1, never 0) and down for errors (10% of 15 allows 1, not 2).
   */
  public int resolve(int targets, boolean roundUp) {
    if (!percent) {
      return value;
    }
    long scaled = (long) targets * value;
    return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
  }

  /** As written: {@code 50} or {@code 10%}. */
  public String text() {
    return percent ? value + "%" : Integer.toString(value);
  }
}
