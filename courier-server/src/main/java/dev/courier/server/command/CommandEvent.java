package dev.courier.server.command;

/** Everything that can happen to a command; {@link CommandLifecycle} says what each does. */
public enum CommandEvent {
  /** The agent acknowledged delivery (HTTP acknowledge, WebSocket accepted, heartbeat hand-out). */
  ACCEPT,
  /** The agent started executing. */
  START,
  /** The agent reported success. */
  COMPLETE,
  /** The agent reported failure (including refusing the envelope). */
  FAIL,
  /** The agent killed it at its timeout, or the server's watchdog gave up waiting. */
  TIME_OUT,
  /** An operator asked to cancel. */
  CANCEL,
  /** The agent confirmed it stopped the command. */
  CONFIRM_CANCELLED,
  /** It waited past its expiry without being delivered. */
  EXPIRE
}
