package dev.courier.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.courier.server.error.UnauthorizedException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;

/**
 * Issues and verifies the operators' short-lived bearer tokens: HS256 JWTs signed with a secret the
 * server keeps in its database, so every node of a cluster accepts every other node's tokens.
 */
public final class AccessTokens {

  static final String ISSUER = "courier";

  /** Tolerated difference between the clocks of the issuing node and the verifying one. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  private final byte[] secret;
  private final Duration lifetime;
  private final Clock clock;

  public AccessTokens(byte[] secret, Duration lifetime, Clock clock) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("the token secret needs at least 256 bits");
    }
    this.secret = secret.clone();
    this.lifetime = Objects.requireNonNull(lifetime);
    this.clock = Objects.requireNonNull(clock);
  }

  public Duration lifetime() {
    return lifetime;
  }

  public String issue(OperatorClaims claims) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder body =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject(claims.userId())
            .claim("username", claims.username())
            .claim("role", claims.role())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)));
    if (claims.tenantId() != null) {
      body.claim("tenant_id", claims.tenantId());
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), body.build());
    try {
      jwt.sign(new MACSigner(secret));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign an access token", e);
    }
    return jwt.serialize();
  }

  /**
   * Verifies signature, issuer and expiry (with {@link #CLOCK_SKEW}).
   *
   * @throws UnauthorizedException for anything not issued by this server or no longer valid
   */
  public OperatorClaims verify(String token) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw new UnauthorizedException("the bearer token is not a valid access token");
    }
    try {
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())
          || !jwt.verify(new MACVerifier(secret))) {
        throw new UnauthorizedException("the access token's signature is not valid");
      }
      JWTClaimsSet body = jwt.getJWTClaimsSet();
      Instant now = clock.instant();
      if (!ISSUER.equals(body.getIssuer())
          || body.getExpirationTime() == null
          || body.getExpirationTime().toInstant().plus(CLOCK_SKEW).isBefore(now)) {
        throw new UnauthorizedException("the access token has expired; log in again");
      }
      if (body.getIssueTime() != null
          && body.getIssueTime().toInstant().minus(CLOCK_SKEW).isAfter(now)) {
        throw new UnauthorizedException("the access token is not valid yet");
      }
      return new OperatorClaims(
          body.getSubject(),
          body.getStringClaim("username"),
          body.getStringClaim("role"),
          body.getStringClaim("tenant_id"));
    } catch (JOSEException | ParseException e) {
      throw new UnauthorizedException("the access token cannot be verified");
    }
  }
}
