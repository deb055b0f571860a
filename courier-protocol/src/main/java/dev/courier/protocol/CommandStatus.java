package dev.courier.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Map;

/**
 * Every state a command passes through, with its canonical wire name.
 *
 * <p>The seeds named these states differently; {@link #fromWire(String)} is the one place that maps
 * their names (the alias table in DESIGN §2) to ours, so server and agent accept the same inputs.
 * Output always uses the canonical name.
 */
public enum CommandStatus {
  PENDING,
  ACCEPTED,
  RUNNING,
  CANCELLING,
  COMPLETED,
  FAILED,
  TIMED_OUT,
  CANCELLED,
  EXPIRED;

  /** Seed names accepted on input: seed 000, 003 and 004 vocabulary. */
  private static final Map<String, CommandStatus> ALIASES =
      Map.of(
          "requested", PENDING,
          "acknowledged", ACCEPTED,
          "succeeded", COMPLETED,
          "success", COMPLETED,
          "error", FAILED,
          "timeout", TIMED_OUT,
          "canceled", CANCELLED);

  /** The canonical wire name, e.g. {@code timed_out}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for states that never change again. */
  public boolean isTerminal() {
    return switch (this) {
      case COMPLETED, FAILED, TIMED_OUT, CANCELLED, EXPIRED -> true;
      case PENDING, ACCEPTED, RUNNING, CANCELLING -> false;
    };
  }

  /** True for the statuses an agent may report as a command's result. */
  public boolean isResult() {
    return switch (this) {
      case COMPLETED, FAILED, TIMED_OUT, CANCELLED -> true;
      case PENDING, ACCEPTED, RUNNING, CANCELLING, EXPIRED -> false;
    };
  }

  /**
   * Parses a canonical name or a seed alias, case-insensitively.
   *
   * @throws IllegalArgumentException for anything else
   */
  @JsonCreator
  public static CommandStatus fromWire(String value) {
    if (value == null) {
      throw new IllegalArgumentException("status must not be null");
    }
    String key = value.trim().toLowerCase(Locale.ROOT);
    CommandStatus alias = ALIASES.get(key);
    if (alias != null) {
      return alias;
    }
    try {
      return valueOf(key.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown command status: " + value, e);
    }
  }

  /** The alias table, for documentation and the server's OpenAPI description. */
  public static Map<String, CommandStatus> aliases() {
    return ALIASES;
  }
}
