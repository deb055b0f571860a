package dev.courier.protocol.envelope;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;

/**
 * The exact bytes an envelope signature covers. Changing this breaks every deployed agent, hence
 * the version tag in the first line.
 */
public final class CanonicalForm {

  /** First line of the signing input. */
  public static final String VERSION_TAG = "courier-command-v1";

  private CanonicalForm() {}

  /**
   * {@code courier-command-v1\n{id}\n{agent_id}\n{type}\n{sha256-hex of canonical params}\n
   * {timeout_seconds}\n{issued_at ISO}\n{expires_at ISO}} as UTF-8.
   */
  public static byte[] signingInput(SignedEnvelope envelope) {
    String text =
        String.join(
            "\n",
            VERSION_TAG,
            envelope.id().value(),
            envelope.agentId().value(),
            envelope.type(),
            CanonicalJson.sha256Hex(envelope.params()),
            Long.toString(envelope.timeoutSeconds()),
            DateTimeFormatter.ISO_INSTANT.format(envelope.issuedAt()),
            DateTimeFormatter.ISO_INSTANT.format(envelope.expiresAt()));
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
