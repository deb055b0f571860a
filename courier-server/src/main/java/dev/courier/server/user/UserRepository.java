package dev.courier.server.user;

import java.util.Optional;

/** Stores operator accounts. */
public interface UserRepository {

  /**
   * @throws dev.courier.server.common.DuplicateKeyException if the username is taken
   */
  void create(User user);

  Optional<User> find(UserId id);

  Optional<User> findByUsername(String username);

  /** How many accounts exist; zero means the server still needs its first admin. */
  long count();
}
