package dev.courier.agent.sdk.internal;

import dev.courier.protocol.CommandId;
import dev.courier.protocol.ProtocolJson;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results waiting for the server's confirmation, one fsynced file per command ({@code
 * <dir>/<command-id>.json}, the {@code command_result} payload). A result is stored before it is
 * sent and removed only after the server confirmed it, so neither a crash nor an outage loses it
 * (DESIGN §5). An unreadable file is moved aside as {@code .corrupt} rather than blocking the rest.
 *
 * <p>The outbox has a disk quota. A result is always stored, even past the quota (the work is done;
 * dropping its result would lose it); the quota instead tells the agent to take no new commands
 * while it is reached, which is logged once when it is reached and once when space is back.
 * Thread-safe.
 */
public final class Outbox {

  private static final Logger log = LoggerFactory.getLogger(Outbox.class);
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,150}");
  private static final String SUFFIX = ".json";

  private final Path dir;
  private final long quotaBytes;
  private final Map<CommandId, CommandResult> pending = new LinkedHashMap<>();
  private final Map<CommandId, Long> sizes = new LinkedHashMap<>();
  private long bytes;
  private boolean full;

  private Outbox(Path dir, long quotaBytes) {
    this.dir = dir;
    this.quotaBytes = quotaBytes;
  }

  /** Opens an outbox without a quota (tests, tools). */
  public static Outbox open(Path dir) {
    return open(dir, Long.MAX_VALUE);
  }

  /**
   * Opens (creating if needed) the outbox directory and loads what an earlier run left.
   *
   * @param quotaBytes the size of stored results at which {@link #isFull()} turns true
   */
  public static Outbox open(Path dir, long quotaBytes) {
    Outbox outbox = new Outbox(dir, quotaBytes);
    try {
      outbox.load();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the result outbox " + dir, e);
    }
    return outbox;
  }

  private void load() throws IOException {
    Files.createDirectories(dir);
    List<CommandResult> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : files) {
        if (file.getFileName().toString().startsWith(".")) {
          continue;
        }
        try {
          CommandResult result =
              ProtocolJson.mapper().readValue(file.toFile(), CommandResult.class);
          found.add(result);
          sizes.put(result.commandId(), Files.size(file));
        } catch (IOException | RuntimeException e) {
          Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
          log.error(
              "Result file {} is unreadable; moved aside to {}: {}", file, aside, e.toString());
          Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    found.sort(Comparator.comparing(CommandResult::completedAt));
    found.forEach(result -> pending.put(result.commandId(), result));
    bytes = sizes.values().stream().mapToLong(Long::longValue).sum();
    checkQuota();
  }

  /**
   * Stores a result durably (replacing an earlier one for the same command). Returns once the file
   * and its directory entry are on disk.
   */
  public void put(CommandResult result) throws IOException {
    byte[] json = ProtocolJson.mapper().writeValueAsBytes(result);
    synchronized (this) {
      DurableFiles.writeAtomically(fileFor(result.commandId()), json, true);
      pending.remove(result.commandId());
      pending.put(result.commandId(), result);
      Long before = sizes.put(result.commandId(), (long) json.length);
      bytes += json.length - (before == null ? 0 : before);
      checkQuota();
    }
  }

  /** Forgets a confirmed result and deletes its file. */
  public synchronized void remove(CommandId id) {
    if (pending.remove(id) == null) {
      return;
    }
    Long size = sizes.remove(id);
    bytes -= size == null ? 0 : size;
    checkQuota();
    try {
      Files.deleteIfExists(fileFor(id));
      DurableFiles.syncDirectory(dir);
    } catch (IOException e) {
      // Harmless: a stale file is resent at the next start and answered as already recorded.
      log.warn("Cannot delete confirmed result {}: {}", id, e.toString());
    }
  }

  /** The stored result of {@code id}, if one waits. */
  public synchronized Optional<CommandResult> get(CommandId id) {
    return Optional.ofNullable(pending.get(id));
  }

  /** True if a result for {@code id} waits. */
  public synchronized boolean contains(CommandId id) {
    return pending.containsKey(id);
  }

  /** Waiting results, oldest first. */
  public synchronized List<CommandResult> pending() {
    return List.copyOf(pending.values());
  }

  /** Number of waiting results. */
  public synchronized int size() {
    return pending.size();
  }

  /** Bytes the stored results take on disk. */
  public synchronized long bytes() {
    return bytes;
  }

  /** The quota this outbox was opened with. */
  public long quotaBytes() {
    return quotaBytes;
  }

  /** True while the stored results take at least the quota: take no new work. */
  public synchronized boolean isFull() {
    return full;
  }

  private void checkQuota() {
    boolean nowFull = bytes >= quotaBytes;
    if (nowFull && !full) {
      log.warn(
          "Result outbox {} reached its disk quota ({} of {} bytes in {} results): no new commands"
              + " are taken (they stay pending on the server) until the server confirms stored"
              + " results",
          dir,
          bytes,
          quotaBytes,
          pending.size());
    } else if (!nowFull && full) {
      log.info(
          "Result outbox {} is below its disk quota again ({} of {} bytes); taking commands",
          dir,
          bytes,
          quotaBytes);
    }
    full = nowFull;
  }

  /** Ids are usually UUIDs; anything else is hex-encoded so no id can escape the directory. */
  Path fileFor(CommandId id) {
    String value = id.value();
    String name =
        SAFE_NAME.matcher(value).matches() && !value.startsWith(".")
            ? value
            : "x-" + HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8));
    return dir.resolve(name + SUFFIX);
  }
}
