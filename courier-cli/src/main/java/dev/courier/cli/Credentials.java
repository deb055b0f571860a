package dev.courier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.ProtocolJson;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * {@code credentials.json} in the config directory: one access token per server URL, readable by
 * its owner only. Written to a private temporary file first and moved into place, so the secret is
 * never visible with looser permissions and a crash never leaves half a file.
 *
 * <pre>{@code
 * {"servers": {"http://127.0.0.1:8080": {"access_token": "...", "username": "admin",
 *                                         "expires_at": "2026-01-16T11:00:00Z"}}}
 * }</pre>
 */
final class Credentials {

  static final String FILE_NAME = "credentials.json";

  private static final ObjectMapper JSON = ProtocolJson.mapper();
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");

  /** A stored login; {@code expiresAt} may be null if the server did not say. */
  record StoredToken(String accessToken, String username, Instant expiresAt) {}

  private final Path file;

  Credentials(Path configDir) {
    this.file = configDir.resolve(FILE_NAME);
  }

  Path file() {
    return file;
  }

  Optional<StoredToken> find(String server) {
    JsonNode entry = read().path("servers").path(server);
    String token = entry.path("access_token").asText("");
    if (token.isBlank()) {
      return Optional.empty();
    }
    String username = entry.path("username").asText(null);
    Instant expiresAt = null;
    if (entry.hasNonNull("expires_at")) {
      try {
        expiresAt = Instant.parse(entry.get("expires_at").asText());
      } catch (DateTimeParseException e) {
        expiresAt = null;
      }
    }
    return Optional.of(new StoredToken(token, username, expiresAt));
  }

  /** Stores (or replaces) the token for {@code server}, keeping other servers' entries. */
  void save(String server, StoredToken token) {
    ObjectNode root = read();
    ObjectNode servers =
        root.path("servers") instanceof ObjectNode existing ? existing : root.putObject("servers");
    ObjectNode entry = servers.putObject(server);
    entry.put("access_token", token.accessToken());
    entry.put("username", token.username());
    if (token.expiresAt() != null) {
      entry.put("expires_at", token.expiresAt().toString());
    }
    write(root);
  }

  private ObjectNode read() {
    if (!Files.exists(file)) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode root = JSON.readTree(file.toFile());
      return root instanceof ObjectNode object ? object : JSON.createObjectNode();
    } catch (IOException e) {
      throw new CliFailure(
          ExitCodes.FAILED,
          "cannot read " + file + ": " + e.getMessage(),
          "delete the file and run login again");
    }
  }

  private void write(ObjectNode root) {
    Path dir = file.toAbsolutePath().getParent();
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    try {
      if (!Files.isDirectory(dir)) {
        if (posix) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } else {
          Files.createDirectories(dir);
        }
      }
      FileAttribute<?>[] attributes =
          posix
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
              : new FileAttribute<?>[0];
      Path temp = Files.createTempFile(dir, ".credentials-", ".tmp", attributes);
      try {
        Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        move(temp);
      } finally {
        Files.deleteIfExists(temp);
      }
      if (posix) {
        Files.setPosixFilePermissions(file, OWNER_FILE);
      }
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.FAILED, "cannot write " + file + ": " + e.getMessage());
    }
  }

  private void move(Path temp) throws IOException {
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
