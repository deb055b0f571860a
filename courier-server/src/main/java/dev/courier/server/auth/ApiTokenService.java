package dev.courier.server.auth;

import dev.courier.server.agent.Secrets;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.error.NotFoundException;
import dev.courier.server.error.UnauthorizedException;
import dev.courier.server.user.Role;
import dev.courier.server.user.User;
import dev.courier.server.user.UserRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * API tokens for automation: a user makes one with a subset of their permissions and an expiry,
 * sees its secret once, lists and revokes their own; a request carrying it acts as that user with
 * only the token's permissions.
 */
public final class ApiTokenService {

  static final Duration DEFAULT_VALIDITY = Duration.ofDays(90);
  static final Duration MAX_VALIDITY = Duration.ofDays(365);
  static final int MAX_NAME = 100;

  /** Uses closer together than this write last_used_at once: a busy script costs no write each. */
  static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

  private final ApiTokenRepository tokens;
  private final UserRepository users;
  private final Clock clock;

  public ApiTokenService(ApiTokenRepository tokens, UserRepository users, Clock clock) {
    this.tokens = tokens;
    this.users = users;
    this.clock = clock;
  }

  /**
   * @param permissions wire names; must be a non-empty subset of the operator's own permissions
   * @param expiresIn null for {@link #DEFAULT_VALIDITY}
   */
  public IssuedApiToken create(
      Operator operator, String name, List<String> permissions, Duration expiresIn) {
    if (operator.viaApiToken()) {
      // Tokens are for automation; minting more would let a leaked one outlive its revocation.
      throw new ForbiddenException("an API token cannot create API tokens; log in instead");
    }
    if (name == null || name.isBlank() || name.trim().length() > MAX_NAME) {
      throw new InvalidInputException("name is required (at most 100 characters)", "name");
    }
    Set<Permission> scope = scope(operator, permissions);
    Duration validity = expiresIn == null ? DEFAULT_VALIDITY : expiresIn;
    if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
      throw new InvalidInputException(
          "expires_in_seconds must be between 1 and " + MAX_VALIDITY.toSeconds(),
          "expires_in_seconds");
    }
    String secret = Secrets.generate(Secrets.API_TOKEN_PREFIX);
    Instant now = clock.instant();
    ApiToken token =
        new ApiToken(
            ApiTokenId.random(),
            operator.tenantId(),
            operator.userId(),
            name.trim(),
            Secrets.hash(secret),
            scope,
            now,
            now.plus(validity),
            null,
            null);
    tokens.create(token);
    return new IssuedApiToken(token, secret);
  }

  private static Set<Permission> scope(Operator operator, List<String> requested) {
    if (requested == null || requested.isEmpty()) {
      throw new InvalidInputException(
          "permissions must name at least one permission, such as commands:read", "permissions");
    }
    Set<Permission> scope = EnumSet.noneOf(Permission.class);
    for (String wireName : requested) {
      Permission permission =
          Permission.fromWireName(wireName)
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          "permissions: unknown permission " + wireName, "permissions"));
      if (!operator.holds(permission)) {
        throw new ForbiddenException(
            "permissions: you do not hold " + wireName + " yourself", "permissions");
      }
      scope.add(permission);
    }
    return scope;
  }

  /** The operator's own tokens, newest first; secrets are never among them. */
  public List<ApiToken> list(Operator operator) {
    return tokens.listByUser(operator.userId());
  }

  /** Revokes one of the operator's own tokens; a system admin may revoke anyone's. */
  public void revoke(Operator operator, ApiTokenId id) {
    boolean mayRevoke =
        tokens
            .find(id)
            .map(
                token ->
                    token.userId().equals(operator.userId())
                        || operator.role() == Role.SYSTEM_ADMIN)
            .orElse(false);
    if (!mayRevoke || !tokens.revoke(id, clock.instant())) {
      throw new NotFoundException("no active API token " + id.value(), "id");
    }
  }

  /**
   * The operator an API token stands for, with the token's permissions cut to what the user's role
   * holds now (a demoted user's tokens shrink with them). Records the use, at most once a minute.
   */
  public Operator authenticate(String secret) {
    Instant now = clock.instant();
    ApiToken token =
        tokens
            .findByHash(Secrets.hash(secret))
            .filter(found -> found.activeAt(now))
            .orElseThrow(
                () -> new UnauthorizedException("the API token is unknown, expired or revoked"));
    User user =
        users
            .find(token.userId())
            .filter(found -> !found.disabled())
            .orElseThrow(
                () -> new UnauthorizedException("the account no longer exists or is disabled"));
    Set<Permission> effective = EnumSet.noneOf(Permission.class);
    effective.addAll(token.permissions());
    effective.retainAll(RolePermissions.of(user.role()));
    if (token.lastUsedAt() == null || !token.lastUsedAt().plus(TOUCH_INTERVAL).isAfter(now)) {
      tokens.touch(token.id(), now);
    }
    return new Operator(
        user.id(), user.username(), user.role(), user.tenantId(), effective, token.id());
  }
}
