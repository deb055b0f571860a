package dev.courier.agent.sdk.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Crash-safe file writes: a file is either the old or the new content, never half of one. */
public final class DurableFiles {

  private DurableFiles() {}

  /**
   * Writes {@code bytes} to {@code file} via a temporary sibling, fsync and an atomic rename, then
   * fsyncs the directory so the rename itself survives a power loss.
   *
   * @param ownerOnly restrict the file to {@code rw-------} where POSIX permissions exist
   */
  public static void writeAtomically(Path file, byte[] bytes, boolean ownerOnly)
      throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + target.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(temp);
    if (ownerOnly && posix()) {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    }
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory(dir);
  }

  /** Fsyncs a directory so creations, renames and deletions in it are durable (no-op elsewhere). */
  public static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms (Windows) cannot open directories; the file itself was synced already.
    }
  }

  /** Whether the default file system supports POSIX permissions. */
  public static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
