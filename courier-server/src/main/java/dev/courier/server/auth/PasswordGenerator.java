package dev.courier.server.auth;

import java.security.SecureRandom;
import java.util.Base64;

/** Generates secrets people may have to type: URL-safe Base64 of random bytes. */
public final class PasswordGenerator {

  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordGenerator() {}

  /** A random string carrying {@code bytes} bytes of entropy. */
  public static String generate(int bytes) {
    byte[] buffer = new byte[bytes];
    RANDOM.nextBytes(buffer);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
  }
}
