package dev.courier.agent.executor;

import dev.courier.agent.sdk.CommandContext;
import java.time.Duration;

/** Waits out a sampling interval in short slices so a cancel is noticed within 50 ms. */
final class Pause {

  private static final long SLICE_MILLIS = 50;

  private Pause() {}

  /**
   * Sleeps for {@code length} unless the command is cancelled first.
   *
   * @return false if the command was cancelled while waiting
   */
  static boolean sleep(CommandContext context, Duration length) throws InterruptedException {
    long deadline = System.nanoTime() + length.toNanos();
    while (true) {
      if (context.isCancelled()) {
        return false;
      }
      long leftNanos = deadline - System.nanoTime();
      if (leftNanos <= 0) {
        return true;
      }
      Thread.sleep(Math.min(Math.ceilDiv(leftNanos, 1_000_000L), SLICE_MILLIS));
    }
  }
}
