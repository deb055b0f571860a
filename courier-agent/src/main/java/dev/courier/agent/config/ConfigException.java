package dev.courier.agent.config;

/** A config file, or a change to one, is invalid; the message names the file and the key. */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
