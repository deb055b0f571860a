package dev.courier.server.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Argon2id password hashing (password4j). Parameters follow OWASP's minimum for Argon2id (19 MiB, 2
 * passes, 1 lane); the hash string records them, so raising them later still verifies old hashes.
 */
public final class PasswordHasher {

  private static final Argon2Function ARGON2ID =
      Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID, Argon2Function.ARGON2_VERSION_13);

  public String hash(String password) {
    return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
  }

  public boolean matches(String password, String hash) {
    if (hash == null || !hash.startsWith("$argon2id$")) {
      return false;
    }
    return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
  }
}
