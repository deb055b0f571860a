package dev.courier.server.auth;

import dev.courier.server.error.InvalidInputException;
import dev.courier.server.error.UnauthorizedException;
import dev.courier.server.ratelimit.LoginThrottle;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.user.User;
import dev.courier.server.user.UserId;
import dev.courier.server.user.UserRepository;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Exchanges a username and password for an access token, and an access token for an operator. */
public final class LoginService {

  /**
   * Verified against when the user does not exist, so unknown names cost as much as wrong
   * passwords.
   */
  private final CompletableFuture<String> decoyHash;

  private final UserRepository users;
  private final PasswordHasher passwords;
  private final AccessTokens tokens;
  private final LoginThrottle throttle;

  public LoginService(
      UserRepository users, PasswordHasher passwords, AccessTokens tokens, LoginThrottle throttle) {
    this.users = users;
    this.passwords = passwords;
    this.tokens = tokens;
    this.throttle = throttle;
    // Hashed off the start-up path: an Argon2 hash is a third of the server's time to ready.
    this.decoyHash =
        CompletableFuture.supplyAsync(
            () -> passwords.hash(PasswordGenerator.generate(16)),
            runnable -> Thread.ofVirtual().name("decoy-hash").start(runnable));
  }

  /**
   * Checks a password. Failures count against the username and the source address; once either has
   * used up its allowance, attempts are refused with {@link
   * dev.courier.server.error.RateLimitedException} before the password is checked.
   *
   * @param sourceAddress the caller's address as the transport saw it, or {@code null}
   */
  public IssuedAccessToken login(String username, String password, String sourceAddress) {
    if (username == null || username.isBlank()) {
      throw new InvalidInputException("username is required", "username");
    }
    if (password == null || password.isEmpty()) {
      throw new InvalidInputException("password is required", "password");
    }
    LoginThrottle.Attempt attempt = throttle.begin(username, sourceAddress);
    User found;
    try {
      found = verify(username.trim(), password);
    } catch (UnauthorizedException wrong) {
      throw wrong;
    } catch (RuntimeException couldNotCheck) {
      attempt.release();
      throw couldNotCheck;
    }
    attempt.release();
    String token =
        tokens.issue(
            new OperatorClaims(
                found.id().value(),
                found.username(),
                found.role().wireName(),
                found.tenantId() == null ? null : found.tenantId().value()));
    return new IssuedAccessToken(token, tokens.lifetime().toSeconds(), found.tenantId());
  }

  /** The user, if the password is theirs; a wrong one costs the same for unknown users. */
  private User verify(String username, String password) {
    Optional<User> user = users.findByUsername(username);
    boolean matches =
        passwords.matches(password, user.map(User::passwordHash).orElseGet(decoyHash::join));
    if (user.isEmpty() || !matches || user.get().disabled()) {
      throw new UnauthorizedException("wrong username or password");
    }
    return user.get();
  }

  /** The operator a bearer token stands for; a disabled or deleted account is refused at once. */
  public Operator authenticate(String bearerToken) {
    OperatorClaims claims = tokens.verify(bearerToken);
    User user =
        users
            .find(UserId.of(claims.userId()))
            .filter(found -> !found.disabled())
            .orElseThrow(
                () -> new UnauthorizedException("the account no longer exists or is disabled"));
    return new Operator(user.id(), user.username(), user.role(), user.tenantId());
  }

  /**
   * @param tenantId the user's tenant; null for a system admin
   */
  public record IssuedAccessToken(String accessToken, long expiresInSeconds, TenantId tenantId) {}
}
