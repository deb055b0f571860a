package dev.courier.server.user;

import dev.courier.server.common.Ids;

/** Identifies an operator account. */
public record UserId(String value) {
  public UserId {
    Ids.requireValid(value, "UserId");
  }

  public static UserId of(String value) {
    return new UserId(value);
  }

  /** A new time-ordered id. */
  public static UserId random() {
    return new UserId(Ids.newId());
  }

  @Override
  public String toString() {
    return value;
  }
}
