package dev.courier.protocol.envelope;

import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Server side: signs envelopes with the server's Ed25519 private key. Thread-safe.
 *
 * <p>Signs with Bouncy Castle's RFC 8032 implementation, whose fixed-base tables make a signature
 * several times cheaper than the JDK's provider: a fan-out signs one envelope per agent, and the
 * JDK's signing was the largest CPU cost of a wave. The signatures are the same (Ed25519 is
 * deterministic), and agents verify them with the JDK.
 */
public final class EnvelopeSigner {

  private final Ed25519PrivateKeyParameters key;

  /** Signs with the given Ed25519 private key. */
  public EnvelopeSigner(PrivateKey privateKey) {
    Objects.requireNonNull(privateKey, "privateKey");
    if (!(privateKey instanceof EdECPrivateKey edec) || edec.getBytes().isEmpty()) {
      throw new IllegalArgumentException(
          "an Ed25519 private key with its raw bytes is needed, not " + privateKey.getAlgorithm());
    }
    this.key = new Ed25519PrivateKeyParameters(edec.getBytes().get(), 0);
    // Derives and caches the public key now rather than on the first envelope.
    key.generatePublicKey();
  }

  /** Returns the envelope with its {@code signature} set (any previous signature is replaced). */
  public SignedEnvelope sign(SignedEnvelope envelope) {
    byte[] input = CanonicalForm.signingInput(envelope);
    byte[] signature = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
    key.sign(Ed25519.Algorithm.Ed25519, null, input, 0, input.length, signature, 0);
    return envelope.withSignature(
        Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
  }
}
