package dev.courier.server.ratelimit;

import dev.courier.server.error.RateLimitedException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Brute-force protection for password logins: failed attempts are counted per username and per
 * source address. Every attempt takes a permit from both buckets before the password is checked, so
 * parallel guesses cannot slip past the count; a successful login gives both back. When either
 * bucket is empty the attempt is refused before the password is looked at.
 *
 * <p>Unknown usernames are counted like known ones, so a refusal tells nothing about which accounts
 * exist.
 */
public final class LoginThrottle {

  private final KeyedRateLimiter perUser;
  private final KeyedRateLimiter perAddress;

  public LoginThrottle(KeyedRateLimiter perUser, KeyedRateLimiter perAddress) {
    this.perUser = Objects.requireNonNull(perUser, "perUser");
    this.perAddress = Objects.requireNonNull(perAddress, "perAddress");
  }

  /**
   * Starts a login attempt, or refuses it with {@link RateLimitedException} when the username or
   * the address has used up its failures.
   *
   * @param address the caller's network address as the transport saw it; {@code null} when unknown
   *     (then only the username counts)
   */
  public Attempt begin(String username, String address) {
    String user = username.trim().toLowerCase(Locale.ROOT);
    Decision byUser = perUser.tryAcquire(user);
    if (!byUser.granted()) {
      throw refused(byUser.retryAfter());
    }
    if (address != null) {
      Decision byAddress = perAddress.tryAcquire(address);
      if (!byAddress.granted()) {
        perUser.release(user);
        throw refused(byAddress.retryAfter());
      }
    }
    return new Attempt(user, address);
  }

  private static RateLimitedException refused(Duration retryAfter) {
    return new RateLimitedException(
        "too many failed logins for this username or from this address; try again in "
            + retryAfter.toSeconds()
            + " s",
        retryAfter);
  }

  /** One login attempt that has counted as a failure until {@link #release()} says otherwise. */
  public final class Attempt {
    private final String user;
    private final String address;

    private Attempt(String user, String address) {
      this.user = user;
      this.address = address;
    }

    /**
     * The attempt does not count against either allowance: the password was right, or it could not
     * be checked at all.
     */
    public void release() {
      perUser.release(user);
      if (address != null) {
        perAddress.release(address);
      }
    }
  }
}
