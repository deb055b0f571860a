package dev.courier.protocol.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.Priority;
import dev.courier.protocol.ProtocolJson;
import dev.courier.protocol.envelope.VerificationResult.Reason;
import dev.courier.protocol.envelope.VerificationResult.Rejected;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class EnvelopeSignatureTest {

  private static final Instant ISSUED = Instant.parse("2026-11-23T10:00:00Z");
  private static final AgentId SELF = AgentId.of("agent-1");
  private final KeyPair keys = EnvelopeKeys.generate();
  private final EnvelopeSigner signer = new EnvelopeSigner(keys.getPrivate());

  private EnvelopeVerifier verifierAt(Instant now) {
    return new EnvelopeVerifier(keys.getPublic(), SELF, Clock.fixed(now, ZoneOffset.UTC));
  }

  private SignedEnvelope unsigned(AgentId agent, String paramsJson) throws Exception {
    return new SignedEnvelope(
        CommandId.of("cmd-1"),
        agent,
        "echo",
        (ObjectNode) ProtocolJson.mapper().readTree(paramsJson),
        Priority.NORMAL,
        60,
        ISSUED,
        ISSUED.plusSeconds(600),
        null);
  }

  @Test
  void a_signed_envelope_verifies_and_uses_unpadded_base64url() throws Exception {
    SignedEnvelope signed = signer.sign(unsigned(SELF, "{\"message\":\"hi\"}"));
    assertThat(signed.signature()).doesNotContain("=", "+", "/");
    assertThat(verifierAt(ISSUED.plusSeconds(5)).verify(signed).isValid()).isTrue();
  }

  @Test
  void the_signature_is_the_one_the_jdk_makes_for_the_same_key_and_input() throws Exception {
    SignedEnvelope envelope = unsigned(SELF, "{\"message\":\"same\"}");
    Signature jdk = Signature.getInstance(EnvelopeKeys.ALGORITHM);
    jdk.initSign(keys.getPrivate());
    jdk.update(CanonicalForm.signingInput(envelope));
    String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(jdk.sign());
    assertThat(signer.sign(envelope).signature()).isEqualTo(expected);
  }

  @Test
  void the_signing_input_is_the_documented_canonical_string() throws Exception {
    String input =
        new String(CanonicalForm.signingInput(unsigned(SELF, "{}")), StandardCharsets.UTF_8);
    assertThat(input)
        .isEqualTo(
            "courier-command-v1\ncmd-1\nagent-1\necho\n"
                + "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\n60\n"
                + "2026-11-23T10:00:00Z\n2026-11-23T10:10:00Z");
  }

  @Test
  void reordered_params_keep_the_signature_valid() throws Exception {
    SignedEnvelope signed = signer.sign(unsigned(SELF, "{\"a\":1,\"b\":{\"c\":2,\"d\":3}}"));
    SignedEnvelope reordered =
        unsigned(SELF, "{\"b\":{\"d\":3,\"c\":2},\"a\":1}").withSignature(signed.signature());
    assertThat(verifierAt(ISSUED).verify(reordered).isValid()).isTrue();
  }

  @Test
  void tampered_params_are_a_bad_signature() throws Exception {
    SignedEnvelope signed = signer.sign(unsigned(SELF, "{\"message\":\"hi\"}"));
    SignedEnvelope tampered =
        unsigned(SELF, "{\"message\":\"rm -rf\"}").withSignature(signed.signature());
    assertThat(verifierAt(ISSUED).verify(tampered))
        .isInstanceOfSatisfying(
            Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.BAD_SIGNATURE));
  }

  @Test
  void a_signature_from_another_key_is_a_bad_signature() throws Exception {
    SignedEnvelope forged =
        new EnvelopeSigner(EnvelopeKeys.generate().getPrivate()).sign(unsigned(SELF, "{}"));
    assertThat(verifierAt(ISSUED).verify(forged))
        .isEqualTo(new Rejected(Reason.BAD_SIGNATURE, "envelope signature does not verify"));
  }

  @Test
  void missing_or_garbage_signatures_are_bad_signatures() throws Exception {
    assertThat(verifierAt(ISSUED).verify(unsigned(SELF, "{}")).isValid()).isFalse();
    assertThat(verifierAt(ISSUED).verify(unsigned(SELF, "{}").withSignature("%%%")))
        .isInstanceOfSatisfying(
            Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.BAD_SIGNATURE));
  }

  @Test
  void an_envelope_for_another_agent_is_refused() throws Exception {
    SignedEnvelope signed = signer.sign(unsigned(AgentId.of("agent-2"), "{}"));
    assertThat(verifierAt(ISSUED).verify(signed))
        .isInstanceOfSatisfying(
            Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.WRONG_AGENT));
  }

  @Test
  void expiry_is_checked_against_the_clock_with_skew_tolerance() throws Exception {
    SignedEnvelope signed = signer.sign(unsigned(SELF, "{}"));
    Instant expiry = signed.expiresAt();
    assertThat(verifierAt(expiry.plusSeconds(30)).verify(signed).isValid()).isTrue();
    assertThat(verifierAt(expiry.plusSeconds(61)).verify(signed))
        .isInstanceOfSatisfying(
            Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.EXPIRED));
  }

  @Test
  void an_envelope_from_the_future_is_refused() throws Exception {
    SignedEnvelope signed = signer.sign(unsigned(SELF, "{}"));
    assertThat(verifierAt(ISSUED.minusSeconds(120)).verify(signed))
        .isInstanceOfSatisfying(
            Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.NOT_YET_VALID));
  }

  @Test
  void keys_survive_their_text_encoding() throws Exception {
    var publicKey = EnvelopeKeys.decodePublic(EnvelopeKeys.encodePublic(keys.getPublic()));
    var privateKey = EnvelopeKeys.decodePrivate(EnvelopeKeys.encodePrivate(keys.getPrivate()));
    SignedEnvelope signed = new EnvelopeSigner(privateKey).sign(unsigned(SELF, "{}"));
    assertThat(
            new EnvelopeVerifier(publicKey, SELF, Clock.fixed(ISSUED, ZoneOffset.UTC))
                .verify(signed)
                .isValid())
        .isTrue();
    assertThat(keys.getPublic().getEncoded()).isEqualTo(publicKey.getEncoded());
  }
}
