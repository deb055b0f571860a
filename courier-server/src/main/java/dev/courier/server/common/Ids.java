package dev.courier.server.common;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Generates time-ordered UUIDv7 strings (RFC 9562), so new rows land at the end of primary-key
 * indexes instead of scattering across them.
 */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /** A new UUIDv7 from the system clock. */
  public static String newId() {
    return newId(Clock.systemUTC());
  }

  /** A new UUIDv7 whose 48-bit timestamp comes from the given clock. */
  public static String newId(Clock clock) {
    long millis = clock.millis();
    long randA = RANDOM.nextInt(1 << 12);
    long msb = (millis << 16) | (0x7L << 12) | randA;
    long lsb = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb).toString();
  }

  /** Checks a typed id's value; shared by the id records so they all reject the same inputs. */
  public static String requireValid(String value, String kind) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(kind + " must not be blank");
    }
    return value;
  }
}
