package dev.courier.agent;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Creates the state directory readable by the agent's user only: it holds the agent key, the
 * command journal and results that may carry host data.
 */
final class StateDirectory {

  private StateDirectory() {}

  static void create(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return; // an existing directory's permissions are the operator's choice
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectory(dir);
    }
  }
}
