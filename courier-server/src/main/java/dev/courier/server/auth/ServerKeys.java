package dev.courier.server.auth;

import dev.courier.protocol.envelope.EnvelopeKeys;
import dev.courier.protocol.envelope.EnvelopeSigner;
import dev.courier.server.common.SettingsRepository;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The server's own secrets, created on first start and kept in the database so every node of a
 * cluster shares them: the Ed25519 key that signs command envelopes, and the secret that signs
 * access tokens. {@code putIfAbsent} makes two nodes starting at once agree on one of each.
 */
public final class ServerKeys {

  /** Both halves in one value, so a reader never sees a private key without its public key. */
  static final String SIGNING_KEY_PAIR = "envelope.signing.key_pair";

  static final String TOKEN_SECRET = "auth.token.secret";

  private final EnvelopeSigner signer;
  private final PublicKey publicKey;
  private final byte[] tokenSecret;

  private ServerKeys(EnvelopeSigner signer, PublicKey publicKey, byte[] tokenSecret) {
    this.signer = signer;
    this.publicKey = publicKey;
    this.tokenSecret = tokenSecret;
  }

  public static ServerKeys loadOrCreate(SettingsRepository settings) {
    KeyPair fresh = EnvelopeKeys.generate();
    String[] pair =
        settings
            .putIfAbsent(
                SIGNING_KEY_PAIR,
                EnvelopeKeys.encodePrivate(fresh.getPrivate())
                    + " "
                    + EnvelopeKeys.encodePublic(fresh.getPublic()))
            .split(" ");
    String privateKey = pair[0];
    String publicKey = pair[1];
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String tokenSecret =
        settings.putIfAbsent(TOKEN_SECRET, Base64.getEncoder().encodeToString(secret));
    return new ServerKeys(
        new EnvelopeSigner(EnvelopeKeys.decodePrivate(privateKey)),
        EnvelopeKeys.decodePublic(publicKey),
        Base64.getDecoder().decode(tokenSecret));
  }

  public EnvelopeSigner envelopeSigner() {
    return signer;
  }

  /** What agents pin at enrollment: base64 X.509 of the Ed25519 public key. */
  public String encodedPublicKey() {
    return EnvelopeKeys.encodePublic(publicKey);
  }

  public byte[] tokenSecret() {
    return tokenSecret.clone();
  }
}
