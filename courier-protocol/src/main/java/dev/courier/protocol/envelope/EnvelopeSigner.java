package dev.courier.protocol.envelope;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;

/** Server side: signs envelopes with the server's Ed25519 private key. Thread-safe. */
public final class EnvelopeSigner {

  private final PrivateKey privateKey;

  /** Signs with the given Ed25519 private key. */
  public EnvelopeSigner(PrivateKey privateKey) {
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
  }

  /** Returns the envelope with its {@code signature} set (any previous signature is replaced). */
  public SignedEnvelope sign(SignedEnvelope envelope) {
    try {
      Signature signature = Signature.getInstance(EnvelopeKeys.ALGORITHM);
      signature.initSign(privateKey);
      signature.update(CanonicalForm.signingInput(envelope));
      String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
      return envelope.withSignature(encoded);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with the configured Ed25519 key", e);
    }
  }
}
