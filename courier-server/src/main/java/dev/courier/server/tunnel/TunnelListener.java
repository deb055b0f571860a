package dev.courier.server.tunnel;

/**
 * An operator's stream attached to a session: gets the terminal's output and the session's fate.
 */
public interface TunnelListener {

  /** Text the terminal wrote. */
  void output(String data);

  /**
   * The session's state changed: {@code ready}, {@code closed} or {@code error}, with why. After
   * {@code closed} or {@code error} nothing more comes and the stream should end.
   */
  void status(String status, String reason);

  /** Something the operator sent was refused or failed; the session goes on. */
  void error(String error);
}
