package dev.courier.server.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The position after one row in a (created_at, id) keyset. Encoded opaque so clients cannot build
 * or depend on its shape.
 */
public record Cursor(Instant createdAt, String id) {

  public String encode() {
    String raw = createdAt.toEpochMilli() + ":" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws IllegalArgumentException if the text is not a cursor this class encoded
   */
  public static Cursor decode(String encoded) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = raw.indexOf(':');
      return new Cursor(
          Instant.ofEpochMilli(Long.parseLong(raw.substring(0, colon))),
          Ids.requireValid(raw.substring(colon + 1), "cursor id"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid cursor", e);
    }
  }
}
