package dev.courier.protocol.envelope;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 key codec. Public keys travel as standard base64 of the X.509 SubjectPublicKeyInfo DER
 * (what enrollment returns as {@code server_public_key}); private keys are stored as base64 PKCS#8.
 */
public final class EnvelopeKeys {

  /** The JDK algorithm name used for every envelope key and signature. */
  public static final String ALGORITHM = "Ed25519";

  private EnvelopeKeys() {}

  /** A fresh signing key pair. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks Ed25519", e);
    }
  }

  /** Standard base64 of the public key's X.509 encoding. */
  public static String encodePublic(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /**
   * Decodes {@link #encodePublic(PublicKey)} output.
   *
   * @throws IllegalArgumentException if the text is not a base64 Ed25519 public key
   */
  public static PublicKey decodePublic(String base64) {
    try {
      byte[] der = Base64.getDecoder().decode(base64.trim());
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a base64 X.509 Ed25519 public key", e);
    }
  }

  /** Standard base64 of the private key's PKCS#8 encoding. */
  public static String encodePrivate(PrivateKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /**
   * Decodes {@link #encodePrivate(PrivateKey)} output.
   *
   * @throws IllegalArgumentException if the text is not a base64 PKCS#8 Ed25519 private key
   */
  public static PrivateKey decodePrivate(String base64) {
    try {
      byte[] der = Base64.getDecoder().decode(base64.trim());
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a base64 PKCS#8 Ed25519 private key", e);
    }
  }
}
