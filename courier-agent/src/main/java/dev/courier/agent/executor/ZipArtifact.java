package dev.courier.agent.executor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the files {@code collect} chose into one zip and hashes it while it is written. The zip
 * appears under its final name only when complete, and never holds more of a file than the size
 * counted against the caps, so a log growing while it is read cannot push the artifact past them.
 */
final class ZipArtifact {

  /** One file to add: where to read it, its name in the zip, and how many bytes to take. */
  record Entry(Path source, String name, long size, FileTime modified) {}

  /** The written artifact. */
  record Written(Path path, long sizeBytes, String sha256) {}

  private ZipArtifact() {}

  /**
   * Writes {@code entries} to {@code target}.
   *
   * @param cancelled checked between files; a cancelled write leaves no artifact
   * @throws IOException when a file cannot be read or the zip cannot be written
   * @throws InterruptedException when cancelled
   */
  static Written write(
      Path target, List<Entry> entries, java.util.function.BooleanSupplier cancelled)
      throws IOException, InterruptedException {
    Files.createDirectories(target.getParent());
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    MessageDigest sha256 = sha256();
    boolean done = false;
    try {
      try (OutputStream file =
              Files.newOutputStream(
                  partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
          DigestOutputStream digest = new DigestOutputStream(file, sha256);
          ZipOutputStream zip = new ZipOutputStream(digest)) {
        for (Entry entry : entries) {
          if (cancelled.getAsBoolean()) {
            throw new InterruptedException("cancelled while writing the artifact");
          }
          ZipEntry zipEntry = new ZipEntry(entry.name());
          zipEntry.setLastModifiedTime(entry.modified());
          zip.putNextEntry(zipEntry);
          try (InputStream in = Files.newInputStream(entry.source(), LinkOption.NOFOLLOW_LINKS)) {
            copy(in, zip, entry.size());
          }
          zip.closeEntry();
        }
      }
      Files.move(
          partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      done = true;
      return new Written(target, Files.size(target), HexFormat.of().formatHex(sha256.digest()));
    } finally {
      if (!done) {
        Files.deleteIfExists(partial);
      }
    }
  }

  private static void copy(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = limit;
    while (left > 0) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (read < 0) {
        break; // the file shrank (a rotated log): keep what there was
      }
      out.write(buffer, 0, read);
      left -= read;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
