package dev.courier.server.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer secrets for machines (agent keys, enrollment tokens, API tokens): 256 random bits with a
 * readable prefix, stored only as SHA-256. A fast hash suffices here, unlike for passwords, because
 * the secrets are long and random: there is nothing to guess.
 */
public final class Secrets {

  public static final String AGENT_KEY_PREFIX = "cak_";
  public static final String ENROLLMENT_TOKEN_PREFIX = "cet_";
  public static final String API_TOKEN_PREFIX = "cat_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  public static String generate(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String secret) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK lacks SHA-256", e);
    }
  }
}
