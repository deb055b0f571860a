package dev.courier.agent.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.courier.agent.sdk.internal.DurableFiles;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.ProtocolJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Who this agent is to the server: the id and secret key it got at enrollment, the server's
 * envelope-signing key it pinned then, and the server it enrolled with. The key is a secret: {@link
 * #save(Path)} writes it readable by the owner only, and {@link #toString()} hides it.
 *
 * @param agentId the agent's id
 * @param agentKey the agent's secret bearer key
 * @param serverPublicKey the server's Ed25519 public key, base64 X.509, as enrollment returned it
 * @param server the server's base URL, e.g. {@code https://courier.example.com}
 */
public record AgentIdentity(AgentId agentId, String agentKey, String serverPublicKey, URI server) {

  /** Requires every field; blank keys are refused. */
  public AgentIdentity {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(server, "server");
    if (agentKey == null || agentKey.isBlank()) {
      throw new IllegalArgumentException("agentKey must not be blank");
    }
    if (serverPublicKey == null || serverPublicKey.isBlank()) {
      throw new IllegalArgumentException("serverPublicKey must not be blank");
    }
  }

  /**
   * Writes the identity as JSON, atomically (temporary file, fsync, atomic rename) and, where the
   * file system supports POSIX permissions, readable and writable by the owner only.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public void save(Path file) {
    try {
      byte[] json = ProtocolJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
      DurableFiles.writeAtomically(file, json, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save agent identity to " + file, e);
    }
  }

  /**
   * Reads an identity {@link #save(Path) saved} earlier.
   *
   * @return empty when the file does not exist
   * @throws IllegalStateException when the file exists but is not a valid identity
   * @throws UncheckedIOException when the file cannot be read
   */
  public static Optional<AgentIdentity> load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read agent identity " + file, e);
    }
    try {
      AgentIdentity identity = ProtocolJson.mapper().readValue(bytes, AgentIdentity.class);
      if (identity == null) {
        throw new IllegalStateException("agent identity file " + file + " is empty");
      }
      return Optional.of(identity);
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
      throw new IllegalStateException(
          "agent identity file "
              + file
              + " is corrupt ("
              + firstLine(e.getMessage())
              + "); delete it and enroll again",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read agent identity " + file, e);
    }
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unreadable";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  /** Hides the agent key. */
  @Override
  public String toString() {
    return "AgentIdentity[agentId="
        + agentId
        + ", agentKey=***, serverPublicKey="
        + serverPublicKey
        + ", server="
        + server
        + "]";
  }
}
