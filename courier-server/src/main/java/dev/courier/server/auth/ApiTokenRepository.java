package dev.courier.server.auth;

import dev.courier.server.user.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores API tokens. */
public interface ApiTokenRepository {

  void create(ApiToken token);

  Optional<ApiToken> findByHash(String tokenHash);

  /** The token with this id, whoever owns it: callers check ownership. */
  Optional<ApiToken> find(ApiTokenId id);

  /** The user's tokens, revoked and expired ones included, newest first. */
  List<ApiToken> listByUser(UserId userId);

  /**
   * @return false if there is no such unrevoked token
   */
  boolean revoke(ApiTokenId id, Instant now);

  /** Records a use at {@code now}. */
  void touch(ApiTokenId id, Instant now);
}
