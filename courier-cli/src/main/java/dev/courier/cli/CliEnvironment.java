package dev.courier.cli;

import java.io.Console;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the CLI reads from the process around it: environment variables, standard input and the
 * terminal. Tests pass their own so they never touch the real home directory or need a console.
 *
 * @param variables environment variables ({@code COURIER_SERVER}, {@code COURIER_TOKEN}, {@code
 *     COURIER_CONFIG_DIR}, {@code XDG_CONFIG_HOME}, {@code HOME})
 * @param stdin where {@code login --password-stdin} reads the password
 * @param prompt asks for a password without echo; empty when there is no terminal
 */
public record CliEnvironment(
    Map<String, String> variables, InputStream stdin, PasswordPrompt prompt) {

  /** Reads a secret from the user's terminal. */
  @FunctionalInterface
  public interface PasswordPrompt {
    /** The typed password, or empty when there is no terminal to ask on. */
    Optional<char[]> read(String prompt);
  }

  public CliEnvironment {
    variables = Map.copyOf(variables);
  }

  /** The real process: {@link System#getenv()}, {@link System#in} and {@link System#console()}. */
  public static CliEnvironment system() {
    return new CliEnvironment(
        System.getenv(),
        System.in,
        prompt -> {
          Console console = System.console();
          return console == null || !isTerminal(console)
              ? Optional.empty()
              : Optional.ofNullable(console.readPassword("%s", prompt));
        });
  }

  /**
   * Since JDK 22, {@link System#console()} is non-null even when the streams are redirected; only
   * {@code Console.isTerminal()} (absent from the Java 21 API we compile against) tells a real
   * terminal apart, so a piped password is never read as if typed.
   */
  private static boolean isTerminal(Console console) {
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a non-null console is a terminal
    }
  }

  /** A non-blank variable, if set. */
  public Optional<String> variable(String name) {
    return Optional.ofNullable(variables.get(name)).filter(value -> !value.isBlank());
  }

  /**
   * Where credentials live: {@code $COURIER_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/courier},
   * else {@code ~/.config/courier}.
   */
  public Path configDir() {
    return variable("COURIER_CONFIG_DIR")
        .map(Path::of)
        .or(() -> variable("XDG_CONFIG_HOME").map(dir -> Path.of(dir, "courier")))
        .orElseGet(
            () ->
                Path.of(
                    variable("HOME").orElse(System.getProperty("user.home")),
                    ".config",
                    "courier"));
  }
}
