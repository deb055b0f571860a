package dev.courier.server.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waiting for a latch in a test, bounded, without a checked exception. */
public final class Latches {

  private Latches() {}

  /** Waits up to 10 s for {@code latch}; fails the test if it is not released by then. */
  public static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
