package dev.courier.server.user;

import dev.courier.server.tenant.TenantId;
import java.util.List;
import java.util.Optional;

/** Stores operator accounts. */
public interface UserRepository {

  /**
   * @throws dev.courier.server.common.DuplicateKeyException if the username is taken
   */
  void create(User user);

  Optional<User> find(UserId id);

  Optional<User> findByUsername(String username);

  /**
   * Accounts ordered by username, at most {@code limit}.
   *
   * @param tenant only this tenant's accounts, or null for every account (system admins included)
   */
  List<User> list(TenantId tenant, int limit);

  /**
   * Writes the account's role, disabled flag and password hash; the id, tenant, username and
   * creation time never change.
   *
   * @return false if there is no such account
   */
  boolean update(User user);

  /** How many accounts exist; zero means the server still needs its first admin. */
  long count();
}
