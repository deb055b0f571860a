package dev.courier.agent.terminal;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gathers a terminal's output into chunks: after the first text arrives it waits up to {@link
 * #LINGER} for more (or until a chunk is full), then sends at most {@link #MAX_CHUNK_BYTES} as one
 * message, so a busy shell does not cost one frame per byte and an idle one is still answered at
 * once. Chunk size counts the bytes the text takes inside a JSON string (UTF-8, escapes included),
 * so no frame outgrows the server's message limit whatever the output holds.
 *
 * <p>One reader thread calls {@link #append} and then {@link #finish}; {@link #run} is the sender's
 * loop, on a thread of its own. When the sender falls behind by more than {@link #BACKLOG_BYTES},
 * {@code append} waits: the shell is slowed to the pace of the network instead of filling the
 * agent's memory.
 */
final class OutputCoalescer {

  static final int MAX_CHUNK_BYTES = 16 * 1024;
  static final Duration LINGER = Duration.ofMillis(10);
  static final int BACKLOG_BYTES = 4 * MAX_CHUNK_BYTES;

  /** Receives each chunk; {@code exitCode} is set on the last one only. */
  interface Sink {
    /**
     * @return false to stop: nothing more will be sent (the session ended)
     */
    boolean send(String text, Integer exitCode);
  }

  private final Sink sink;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final StringBuilder pending = new StringBuilder();
  private boolean finished;
  private boolean stopped;
  private Integer exitCode;

  OutputCoalescer(Sink sink) {
    this.sink = sink;
  }

  /** Queues output; waits while the backlog is full. */
  void append(String text) throws InterruptedException {
    if (text.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      while (pending.length() > BACKLOG_BYTES && !stopped) {
        changed.await();
      }
      if (stopped) {
        return;
      }
      pending.append(text);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The output ended: what is pending goes out, the last chunk carrying {@code exitCode}. */
  void finish(Integer code) {
    lock.lock();
    try {
      finished = true;
      exitCode = code;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Drops what is pending and ends {@link #run} without a last chunk. */
  void stop() {
    lock.lock();
    try {
      stopped = true;
      pending.setLength(0);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The sender's loop: returns after the last chunk, or once stopped. */
  void run() {
    try {
      while (true) {
        String chunk;
        boolean last;
        Integer code;
        lock.lock();
        try {
          while (pending.isEmpty() && !finished && !stopped) {
            changed.await();
          }
          long lingerNanos = LINGER.toNanos();
          while (!finished && !stopped && lingerNanos > 0 && fitsInOneChunk()) {
            lingerNanos = changed.awaitNanos(lingerNanos);
          }
          if (stopped) {
            return;
          }
          int cut = jsonBytes(pending, MAX_CHUNK_BYTES);
          chunk = pending.substring(0, cut);
          pending.delete(0, cut);
          last = finished && pending.isEmpty();
          code = last ? exitCode : null;
          changed.signalAll();
        } finally {
          lock.unlock();
        }
        if ((!chunk.isEmpty() || last) && !sink.send(chunk, code)) {
          stop();
          return;
        }
        if (last) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * How many of {@code text}'s leading chars fit in {@code limit} bytes of a JSON string; at least
   * one character (a surrogate pair counts as one) when {@code text} is not empty. Returns {@code
   * text.length()} when all of it fits.
   */
  static int jsonBytes(CharSequence text, int limit) {
    int bytes = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int width;
      int chars = 1;
      if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
        width = 2;
      } else if (c < 0x20) {
        width = 6;
      } else if (c < 0x80) {
        width = 1;
      } else if (c < 0x800) {
        width = 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        width = 4;
        chars = 2;
      } else {
        width = 3;
      }
      if (bytes + width > limit && i > 0) {
        return i;
      }
      bytes += width;
      i += chars;
    }
    return i;
  }

  private boolean fitsInOneChunk() {
    return jsonBytes(pending, MAX_CHUNK_BYTES) == pending.length();
  }
}
