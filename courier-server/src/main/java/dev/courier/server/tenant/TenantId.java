package dev.courier.server.tenant;

import dev.courier.server.common.Ids;

/** Identifies a tenant, the isolation unit. */
public record TenantId(String value) {
  public TenantId {
    Ids.requireValid(value, "TenantId");
  }

  public static TenantId of(String value) {
    return new TenantId(value);
  }

  /** A new time-ordered id. */
  public static TenantId random() {
    return new TenantId(Ids.newId());
  }

  @Override
  public String toString() {
    return value;
  }
}
