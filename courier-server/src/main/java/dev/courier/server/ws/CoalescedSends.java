package dev.courier.server.ws;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Lets the frames one task sends share socket writes. Inside {@link #around}, a connection's frames
 * wait in its write buffer, and each connection the task sent to is flushed once when the task
 * ends: one system call for all of them instead of one per frame.
 *
 * <p>A group commit completes a batch's futures in such tasks. An agent's {@code running} and its
 * result usually commit in the same batch, so their two acknowledgements leave in one write, and
 * the agent wakes up once for both. The task is short (a few dozen completions), so a frame waits
 * for its flush well under a millisecond.
 */
public final class CoalescedSends {

  /** A connection that can hold frames back until it is flushed; equal only to itself. */
  interface Flushable {
    void flush();
  }

  private static final ThreadLocal<Set<Flushable>> PENDING = new ThreadLocal<>();

  private CoalescedSends() {}

  /**
   * {@code task}, with the frames it sends held back and flushed once per connection at its end.
   */
  public static Runnable around(Runnable task) {
    return () -> {
      if (PENDING.get() != null) {
        task.run();
        return;
      }
      // In the order they were first sent to, so the frames held longest go out first.
      Set<Flushable> pending = new LinkedHashSet<>();
      PENDING.set(pending);
      try {
        task.run();
      } finally {
        PENDING.remove();
        pending.forEach(CoalescedSends::flushQuietly);
      }
    };
  }

  /**
   * Whether the current thread runs inside {@link #around}; if so, {@code connection} is flushed
   * when its task ends, and may hold back what it sends until then.
   */
  static boolean flushLater(Flushable connection) {
    Set<Flushable> pending = PENDING.get();
    if (pending == null) {
      return false;
    }
    pending.add(connection);
    return true;
  }

  /** One connection's failed flush must not keep the others' frames back. */
  private static void flushQuietly(Flushable connection) {
    try {
      connection.flush();
    } catch (RuntimeException e) {
      // The connection failed; its own error handling closes it.
    }
  }
}
