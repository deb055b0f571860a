package dev.courier.agent.sdk.internal;

import dev.courier.protocol.frame.AgentFrame.CommandResult;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the {@link Outbox}: sends each stored result over the current link and removes it once the
 * server confirmed it (after marking it confirmed in the journal, so a crash in between cannot turn
 * a replay into a second result). Retries with backoff while the server is unreachable; wakes at
 * once when a result is added or a connection comes up.
 */
public final class ResultSender {

  private static final Logger log = LoggerFactory.getLogger(ResultSender.class);

  /** Even without a wake-up, look at the outbox this often. */
  static final Duration IDLE_CHECK = Duration.ofSeconds(30);

  private final Outbox outbox;
  private final ExecutedJournal journal;
  private final Supplier<AgentLink> link;
  private final Backoff backoff;
  private final Consumer<AgentUnauthorizedException> onUnauthorized;
  private final Runnable onConfirmed;
  private final Semaphore wake = new Semaphore(0);
  private final ReentrantLock sending = new ReentrantLock();
  private volatile boolean stopped;

  /**
   * @param link the link to use now, or null while there is none worth trying
   * @param onConfirmed called after results were confirmed and removed (the outbox may have room)
   */
  public ResultSender(
      Outbox outbox,
      ExecutedJournal journal,
      Supplier<AgentLink> link,
      Backoff backoff,
      Consumer<AgentUnauthorizedException> onUnauthorized,
      Runnable onConfirmed) {
    this.onConfirmed = onConfirmed;
    this.outbox = outbox;
    this.journal = journal;
    this.link = link;
    this.backoff = backoff;
    this.onUnauthorized = onUnauthorized;
  }

  /** Sends now rather than at the next retry. */
  public void wake() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  /** The sending loop; runs until {@link #stop()}. */
  public void run() {
    Duration pause = Duration.ZERO;
    while (!stopped) {
      try {
        if (wake.tryAcquire(pause.toMillis(), TimeUnit.MILLISECONDS)) {
          wake.drainPermits();
        }
      } catch (InterruptedException e) {
        if (stopped) {
          return;
        }
        continue;
      }
      if (stopped) {
        return;
      }
      try {
        if (sendAll(null)) {
          backoff.reset();
          pause = IDLE_CHECK;
        } else {
          pause = backoff.next();
        }
      } catch (AgentUnauthorizedException e) {
        onUnauthorized.accept(e);
        return;
      } catch (RuntimeException e) {
        log.error("Result sending failed; retrying", e);
        pause = backoff.next();
      }
    }
  }

  /**
   * Tries to send everything once, giving up at {@code until} (null: no limit).
   *
   * @return true when the outbox is empty afterwards
   */
  public boolean sendAll(Instant until) {
    sending.lock();
    int confirmed = 0;
    try {
      for (CommandResult result : outbox.pending()) {
        if (until != null && Instant.now().isAfter(until)) {
          return false;
        }
        AgentLink current = link.get();
        if (current == null) {
          return false;
        }
        AgentLink.Delivery delivery = current.sendResult(result);
        if (delivery == AgentLink.Delivery.RETRY) {
          return false;
        }
        journal.recordConfirmed(result.commandId());
        outbox.remove(result.commandId());
        confirmed++;
        log.debug("Result of {} {} via {}", result.commandId(), delivery, current.name());
      }
      return outbox.size() == 0;
    } finally {
      sending.unlock();
      if (confirmed > 0) {
        onConfirmed.run();
      }
    }
  }

  /** Ends the loop after its current send. */
  public void stop() {
    stopped = true;
    wake.release();
  }
}
