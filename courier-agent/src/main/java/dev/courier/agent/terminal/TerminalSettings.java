package dev.courier.agent.terminal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's {@code terminal:} settings (issue 9): whether operators may open a terminal on this
 * host at all (off unless the host's owner says so, in the config file or with {@code
 * --enable-terminal}; a {@code config_update} command cannot change it), which shell the
 * interactive terminal runs, and the limits of one-shot command lines.
 *
 * @param shell the interactive terminal's program
 * @param commandTimeout a one-shot command line is killed (with its whole process tree) after this
 * @param outputCapBytes bytes of output kept per stream of a one-shot command line
 * @param maxSessions tunnel sessions open at once on this agent
 */
public record TerminalSettings(
    boolean enabled, String shell, Duration commandTimeout, int outputCapBytes, int maxSessions) {

  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_OUTPUT_CAP = 1024 * 1024;
  public static final int DEFAULT_MAX_SESSIONS = 3;
  public static final Duration MAX_COMMAND_TIMEOUT = Duration.ofHours(1);
  public static final int MIN_OUTPUT_CAP = 1024;
  public static final int MAX_OUTPUT_CAP = 64 * 1024 * 1024;
  public static final int MAX_SESSIONS_LIMIT = 100;

  private static final java.util.regex.Pattern SIZE =
      java.util.regex.Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

  /** Validates every field, naming the config key. */
  public TerminalSettings {
    if (shell == null || shell.isBlank()) {
      throw new IllegalArgumentException("terminal.shell must not be blank");
    }
    if (commandTimeout == null
        || commandTimeout.compareTo(Duration.ofSeconds(1)) < 0
        || commandTimeout.compareTo(MAX_COMMAND_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "terminal.command_timeout must be between 1s and 1h, was " + commandTimeout);
    }
    if (outputCapBytes < MIN_OUTPUT_CAP || outputCapBytes > MAX_OUTPUT_CAP) {
      throw new IllegalArgumentException(
          "terminal.output_cap must be between 1KiB and 64MiB, was " + outputCapBytes + " bytes");
    }
    if (maxSessions < 1 || maxSessions > MAX_SESSIONS_LIMIT) {
      throw new IllegalArgumentException(
          "terminal.max_sessions must be between 1 and "
              + MAX_SESSIONS_LIMIT
              + ", was "
              + maxSessions);
    }
  }

  /** Off, with the default shell and limits. */
  public static TerminalSettings disabled() {
    return new TerminalSettings(
        false,
        defaultShell(System.getenv()),
        DEFAULT_COMMAND_TIMEOUT,
        DEFAULT_OUTPUT_CAP,
        DEFAULT_MAX_SESSIONS);
  }

  /** A copy that is on or off. */
  public TerminalSettings withEnabled(boolean value) {
    return new TerminalSettings(value, shell, commandTimeout, outputCapBytes, maxSessions);
  }

  /** {@code $SHELL} when it names an existing program, else {@code /bin/sh} ({@code cmd.exe}). */
  public static String defaultShell(Map<String, String> environment) {
    if (windows()) {
      return environment.getOrDefault("COMSPEC", "cmd.exe");
    }
    String shell = environment.get("SHELL");
    if (shell != null && !shell.isBlank() && Files.isExecutable(Path.of(shell.trim()))) {
      return shell.trim();
    }
    return "/bin/sh";
  }

  static boolean windows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }

  /**
   * A duration like {@code 60s}, {@code 2m}, {@code 1h} or {@code 500ms}; a bare number is seconds.
   *
   * @throws IllegalArgumentException naming {@code key}
   */
  public static Duration parseDuration(String key, String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (value.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
      }
      if (value.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1).trim()));
      }
      if (value.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1).trim()));
      }
      if (value.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1).trim()));
      }
      return Duration.ofSeconds(Long.parseLong(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + " must be a duration like 60s, 2m or 1h, was '" + text + "'");
    }
  }

  /**
   * A size like {@code 1MiB}, {@code 512KiB}, {@code 64KB}; a bare number is bytes.
   *
   * @throws IllegalArgumentException naming {@code key}
   */
  public static long parseSize(String key, String text) {
    java.util.regex.Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          key + " must be a size like 1MiB or 512KiB, was '" + text + "'");
    }
    String unit = m.group(2) == null ? "" : m.group(2);
    int shift =
        unit.startsWith("g") ? 30 : unit.startsWith("m") ? 20 : unit.startsWith("k") ? 10 : 0;
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(key + " is too large: '" + text + "'");
    }
  }
}
