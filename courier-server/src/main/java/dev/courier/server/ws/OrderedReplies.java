package dev.courier.server.ws;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers sent in the order of the frames they answer, though they become ready out of order: an
 * answer waits until it is ready and every answer queued before it went out. At most {@code limit}
 * may be outstanding; {@link #add} blocks beyond that, which stops the socket reading more frames
 * (back-pressure). One producer at a time (a socket handles its frames one by one).
 */
final class OrderedReplies<T> {

  private static final Logger log = LoggerFactory.getLogger(OrderedReplies.class);

  private final Consumer<T> sender;
  private final Semaphore outstanding;

  /** The last answer queued; completes once sent (or given up), never exceptionally. */
  private volatile CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

  /**
   * @param sender sends one answer, on the thread that readied it or that sent the one before it,
   *     so it must not block (Jetty's sends are asynchronous; a database writer completes its
   *     answers on other threads, see {@code GroupCommit})
   * @param limit answers outstanding before {@link #add} blocks
   */
  OrderedReplies(Consumer<T> sender, int limit) {
    this.sender = sender;
    this.outstanding = new Semaphore(limit);
  }

  /** Queues {@code answer} behind the answers added before it. */
  void add(CompletableFuture<T> answer) {
    outstanding.acquireUninterruptibly();
    last =
        last.thenCombine(answer, (previousSent, ready) -> ready)
            .handle(
                (ready, failure) -> {
                  try {
                    if (failure != null) {
                      log.warn("An answer was lost: {}", failure.toString());
                    } else {
                      sender.accept(ready);
                    }
                  } catch (RuntimeException e) {
                    // The answers after it still go out: the chain must never fail.
                    log.warn("Sending an answer failed: {}", e.toString());
                  } finally {
                    outstanding.release();
                  }
                  return null;
                });
  }

  /** Waits until every answer added so far went out. */
  void awaitSent() {
    last.join();
  }
}
