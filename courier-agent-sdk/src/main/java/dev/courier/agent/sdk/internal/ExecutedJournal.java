package dev.courier.agent.sdk.internal;

import dev.courier.protocol.CommandId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable list of command ids this agent started executing: the agent's guard of at-most-once
 * execution (DESIGN §2). An id is appended and fsynced <em>before</em> its executor runs, so a
 * crash at any point can never lead to a second execution. A second line marks the id's result as
 * confirmed by the server, so a replayed id gets no second result either.
 *
 * <p>Format, one entry per line: {@code E <id> <envelope expiry epoch seconds>} and {@code C <id>}.
 * A torn last line after a crash is ignored. When the file reaches the compaction threshold it is
 * rewritten; ids whose envelope expired more than {@link #RETENTION} ago and whose result was
 * confirmed are dropped then: the envelope's expiry already refuses them, and a server re-issuing
 * so old an id is not a replay this file can meaningfully guard against. Thread-safe.
 */
public final class ExecutedJournal implements AutoCloseable {

  /** How long past its envelope's expiry a confirmed id is remembered. */
  public static final Duration RETENTION = Duration.ofDays(7);

  /** Rewrite the file when it reaches this many lines. */
  public static final int DEFAULT_COMPACT_THRESHOLD = 10_000;

  private static final Logger log = LoggerFactory.getLogger(ExecutedJournal.class);

  private final Path file;
  private final Clock clock;
  private final int compactThreshold;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private FileChannel channel;
  private int lines;
  private int nextCompactAt;

  private record Entry(long expiresEpochSecond, boolean confirmed) {}

  private ExecutedJournal(Path file, Clock clock, int compactThreshold) {
    this.file = file;
    this.clock = clock;
    this.compactThreshold = compactThreshold;
  }

  /** Opens (creating if needed) the journal at {@code file} and loads it. */
  public static ExecutedJournal open(Path file, Clock clock) {
    return open(file, clock, DEFAULT_COMPACT_THRESHOLD);
  }

  /** As {@link #open(Path, Clock)} with an explicit compaction threshold (tests). */
  public static ExecutedJournal open(Path file, Clock clock, int compactThreshold) {
    ExecutedJournal journal = new ExecutedJournal(file, clock, compactThreshold);
    try {
      journal.load();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the executed-command journal " + file, e);
    }
    return journal;
  }

  private void load() throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (Files.exists(file)) {
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        while ((line = reader.readLine()) != null) {
          lines++;
          apply(line);
        }
      } catch (java.nio.charset.MalformedInputException e) {
        throw new IOException("journal " + file + " is not UTF-8 text", e);
      }
    }
    channel = openAppend();
    nextCompactAt = compactThreshold;
    if (lines >= nextCompactAt) {
      compact();
    }
  }

  private void apply(String line) {
    String[] parts = line.split(" ");
    try {
      if (parts.length == 3 && parts[0].equals("E")) {
        Entry previous = entries.get(parts[1]);
        entries.put(
            parts[1],
            new Entry(Long.parseLong(parts[2]), previous != null && previous.confirmed()));
      } else if (parts.length == 2 && parts[0].equals("C")) {
        Entry previous = entries.get(parts[1]);
        entries.put(
            parts[1],
            new Entry(previous == null ? Long.MAX_VALUE : previous.expiresEpochSecond(), true));
      } else if (!line.isBlank()) {
        log.warn("Ignoring unreadable line in {}: {}", file, abbreviate(line));
      }
    } catch (NumberFormatException e) {
      log.warn("Ignoring unreadable line in {}: {}", file, abbreviate(line));
    }
  }

  /** True if this agent started executing {@code id} (at any time the journal remembers). */
  public synchronized boolean contains(CommandId id) {
    return entries.containsKey(id.value());
  }

  /** True if the server confirmed the result of {@code id}. */
  public synchronized boolean isConfirmed(CommandId id) {
    Entry entry = entries.get(id.value());
    return entry != null && entry.confirmed();
  }

  /**
   * Durably records that {@code id} is about to execute. Returns only after the line is on disk.
   *
   * @return false if the id was already recorded (the caller must not execute it)
   * @throws IOException if the line could not be made durable (the caller must not execute)
   */
  public synchronized boolean recordExecuted(CommandId id, Instant envelopeExpiresAt)
      throws IOException {
    if (entries.containsKey(id.value())) {
      return false;
    }
    requireSafe(id);
    append("E " + id.value() + " " + envelopeExpiresAt.getEpochSecond());
    entries.put(id.value(), new Entry(envelopeExpiresAt.getEpochSecond(), false));
    return true;
  }

  /** Records that the server confirmed the result of {@code id}; best effort. */
  public synchronized void recordConfirmed(CommandId id) {
    Entry entry = entries.get(id.value());
    if (entry == null || entry.confirmed() || !isSafe(id)) {
      return;
    }
    try {
      append("C " + id.value());
      entries.put(id.value(), new Entry(entry.expiresEpochSecond(), true));
    } catch (IOException e) {
      log.warn("Cannot record confirmation of {} in {}: {}", id, file, e.toString());
    }
  }

  /** Ids that were started but whose result was never confirmed. */
  public synchronized java.util.List<CommandId> unconfirmed() {
    return entries.entrySet().stream()
        .filter(e -> !e.getValue().confirmed())
        .map(e -> CommandId.of(e.getKey()))
        .toList();
  }

  /** Number of remembered ids. */
  public synchronized int size() {
    return entries.size();
  }

  private void append(String line) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    channel.force(false);
    lines++;
    if (lines >= nextCompactAt) {
      compact();
    }
  }

  /** Rewrites the file with only live entries, atomically. */
  synchronized void compact() throws IOException {
    long horizon = clock.instant().minus(RETENTION).getEpochSecond();
    entries
        .entrySet()
        .removeIf(e -> e.getValue().confirmed() && e.getValue().expiresEpochSecond() < horizon);
    StringBuilder text = new StringBuilder();
    entries.forEach(
        (id, entry) -> {
          long expiry =
              entry.expiresEpochSecond() == Long.MAX_VALUE ? 0 : entry.expiresEpochSecond();
          text.append("E ").append(id).append(' ').append(expiry).append('\n');
          if (entry.confirmed()) {
            text.append("C ").append(id).append('\n');
          }
        });
    channel.close();
    DurableFiles.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8), true);
    channel = openAppend();
    lines = 0;
    for (Entry entry : entries.values()) {
      lines += entry.confirmed() ? 2 : 1;
    }
    // Amortized: the next rewrite comes only after the file has grown again by as much.
    nextCompactAt = Math.max(compactThreshold, 2 * lines);
    log.debug("Compacted {} to {} entries", file, entries.size());
  }

  private FileChannel openAppend() throws IOException {
    FileChannel opened =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    DurableFiles.syncDirectory(file.toAbsolutePath().getParent());
    return opened;
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("Closing {} failed: {}", file, e.toString());
    }
  }

  private static boolean isSafe(CommandId id) {
    String value = id.value();
    return !value.contains(" ") && !value.contains("\n") && !value.contains("\r");
  }

  private static void requireSafe(CommandId id) throws IOException {
    if (!isSafe(id)) {
      throw new IOException("command id contains whitespace and cannot be journaled: " + id);
    }
  }

  private static String abbreviate(String line) {
    return line.length() > 80 ? line.substring(0, 80) + "…" : line;
  }
}
