package dev.courier.server.config;

/**
 * A setting has a value the server cannot start with; the message names the setting and its source.
 */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }
}
