package dev.courier.server.config;

/** SQLite's {@code PRAGMA synchronous} levels that Courier supports. */
public enum SqliteSynchronous {
  /**
   * Every commit reaches the disk before it is acknowledged: no accepted command is lost on power
   * cut.
   */
  FULL,
  /**
   * WAL commits are synced at checkpoints only: faster, but a power cut may lose the last commits.
   */
  NORMAL
}
