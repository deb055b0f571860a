package dev.courier.server.agent;

import dev.courier.server.common.Ids;

/** Identifies an enrollment token (not the secret token itself). */
public record EnrollmentTokenId(String value) {
  public EnrollmentTokenId {
    Ids.requireValid(value, "EnrollmentTokenId");
  }

  public static EnrollmentTokenId of(String value) {
    return new EnrollmentTokenId(value);
  }

  /** A new time-ordered id. */
  public static EnrollmentTokenId random() {
    return new EnrollmentTokenId(Ids.newId());
  }

  @Override
  public String toString() {
    return value;
  }
}
