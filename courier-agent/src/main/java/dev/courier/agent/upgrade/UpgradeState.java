package dev.courier.agent.upgrade;

import dev.courier.agent.config.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The upgrade in flight, as plain files in {@code <state-dir>/upgrade/} so the shell launcher
 * ({@code deploy/courier-agent-launch}) can read and mark it without parsing JSON:
 *
 * <ul>
 *   <li>{@code pending}: three lines, the command id, the version upgraded from and to; written by
 *       the old version after it swapped the jar
 *   <li>{@code started}: created by the launcher before it starts the new version the first time
 *   <li>{@code confirmed}: created by the new version once it reached the server
 *   <li>{@code rolled_back}: created by the launcher when it put the previous jar back, because the
 *       new version was started once and never confirmed
 * </ul>
 */
public final class UpgradeState {

  /** What {@code pending} says. */
  public record Pending(String commandId, String fromVersion, String toVersion) {}

  private final Path dir;

  public UpgradeState(Path stateDir) {
    this.dir = stateDir.resolve("upgrade");
  }

  public Path dir() {
    return dir;
  }

  public Optional<Pending> pending() throws IOException {
    Path file = dir.resolve("pending");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    var lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.size() < 3) {
      throw new IOException(file + " is damaged (expected 3 lines)");
    }
    return Optional.of(new Pending(lines.get(0).trim(), lines.get(1).trim(), lines.get(2).trim()));
  }

  /** Records an installed upgrade (after the jar was swapped). */
  public void begin(Pending pending) throws IOException {
    clear();
    Files.createDirectories(dir);
    AtomicFiles.write(
        dir.resolve("pending"),
        (pending.commandId() + "\n" + pending.fromVersion() + "\n" + pending.toVersion() + "\n")
            .getBytes(StandardCharsets.UTF_8));
  }

  public boolean rolledBack() {
    return Files.exists(dir.resolve("rolled_back"));
  }

  public boolean confirmed() {
    return Files.exists(dir.resolve("confirmed"));
  }

  public void markConfirmed() throws IOException {
    AtomicFiles.write(dir.resolve("confirmed"), new byte[0]);
  }

  /** Forgets the upgrade (after its result is stored in the outbox). */
  public void clear() throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
    AtomicFiles.syncDirectory(dir.getParent());
  }
}
