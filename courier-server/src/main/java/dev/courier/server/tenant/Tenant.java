package dev.courier.server.tenant;

import java.time.Instant;
import java.util.Objects;

/** The isolation unit: an MSP's customer or a business unit. */
public record Tenant(TenantId id, String name, Instant createdAt) {
  public Tenant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("tenant name must not be blank");
    }
  }
}
