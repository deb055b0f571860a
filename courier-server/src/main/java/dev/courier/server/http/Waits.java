package dev.courier.server.http;

import dev.courier.server.error.InvalidInputException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code ?wait=} values: {@code 30}, {@code 30s}, {@code 1500ms}, {@code 2m}. */
final class Waits {

  static final Duration MAX_WAIT = Duration.ofMinutes(2);
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,7})(ms|s|m)?");

  private Waits() {}

  static Optional<Duration> parse(String raw) {
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(raw.trim());
    if (!m.matches()) {
      throw new InvalidInputException("wait must look like 30s, 1500ms or 2m", "wait");
    }
    long amount = Long.parseLong(m.group(1));
    Duration wait =
        switch (m.group(2) == null ? "s" : m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofSeconds(amount);
        };
    if (wait.compareTo(MAX_WAIT) > 0) {
      throw new InvalidInputException("wait must be at most " + MAX_WAIT.toSeconds() + "s", "wait");
    }
    return Optional.of(wait);
  }
}
