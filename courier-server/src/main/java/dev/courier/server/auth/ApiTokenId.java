package dev.courier.server.auth;

import dev.courier.server.common.Ids;

/** Identifies an API token (not the secret token itself). */
public record ApiTokenId(String value) {
  public ApiTokenId {
    Ids.requireValid(value, "ApiTokenId");
  }

  public static ApiTokenId of(String value) {
    return new ApiTokenId(value);
  }

  /** A new time-ordered id. */
  public static ApiTokenId random() {
    return new ApiTokenId(Ids.newId());
  }

  @Override
  public String toString() {
    return value;
  }
}
