package dev.courier.server.runtime;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the server's background loops (sweepers, presence). Each run is wrapped so that an exception
 * is logged and the loop goes on: one bad row must never stop expiry or timeouts for everyone.
 */
public final class PeriodicTasks implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PeriodicTasks.class);

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "courier-periodic");
            thread.setDaemon(true);
            return thread;
          });

  public void every(Duration period, String name, Runnable task) {
    scheduler.scheduleWithFixedDelay(
        () -> runAndLogErrors(name, task),
        period.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  static void runAndLogErrors(String name, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.error("Background task '{}' failed; it will run again", name, e);
    }
  }

  /** Stops scheduling and waits briefly for a run in progress. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("A background task did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
