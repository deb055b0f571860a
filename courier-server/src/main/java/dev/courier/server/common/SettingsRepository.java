package dev.courier.server.common;

import java.util.Optional;

/** Server-wide key-value settings, such as the Ed25519 signing key pair or the JWT secret. */
public interface SettingsRepository {

  Optional<String> get(String key);

  /** Inserts or replaces the value of {@code key}. */
  void put(String key, String value);

  /**
   * Stores {@code value} only if {@code key} has none yet, and returns whichever value is stored
   * afterwards — so two nodes generating a key pair at first start agree on one.
   */
  String putIfAbsent(String key, String value);
}
