package dev.courier.agent.config;

import java.util.Locale;
import java.util.Optional;

/** What the agent runs (seed 004). */
public enum Mode {
  /** Server commands only (the default). */
  MANAGED,
  /** The config file's local schedules only; no server needed. */
  STANDALONE,
  /** Both. */
  HYBRID;

  static final String HINT = "must be managed, standalone or hybrid";

  public static Optional<Mode> parse(String value) {
    try {
      return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public boolean runsServerCommands() {
    return this != STANDALONE;
  }

  public boolean runsLocalSchedules() {
    return this != MANAGED;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
