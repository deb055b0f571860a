package dev.courier.server.auth;

import java.util.Objects;

/** What an operator's access token says about them; {@code tenantId} is null for system admins. */
public record OperatorClaims(String userId, String username, String role, String tenantId) {
  public OperatorClaims {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(role, "role");
  }
}
